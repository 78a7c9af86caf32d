import type { RunResults, ScenarioResult } from '../results/result-types.js';
import { describeFailure } from './console-reporter.js';
import type { Reporter } from './reporter.js';

/**
 * GitHub Actions workflow commands (`--reporter github`): an `::error` annotation on the line of
 * the step that failed (or where the harness erred) in the scenario file, so the pull request
 * shows it in the diff; a `::warning` for scenarios --bail or an unreachable broker left unrun;
 * a `::notice` with the run's count at the end. File paths are as results.json gives them:
 * relative to the working folder, which in a workflow is the repository's checkout.
 */
export class GithubActionsReporter implements Reporter {
  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  onScenarioEnd(result: ScenarioResult): void {
    const command = annotationFor(result);
    if (command !== undefined) this.write(command);
  }

  onRunEnd(results: RunResults): void {
    const s = results.summary;
    this.write(
      `::notice title=${property('trialsim')}::${data(`${s.passed} passed, ${s.failed} failed, ${s.error} errors, ${s.skipped} skipped (seed ${results.seed})`)}`,
    );
  }
}

/** The workflow command for one scenario, or nothing for a pass. */
export function annotationFor(result: ScenarioResult): string | undefined {
  if (result.verdict === 'passed') return undefined;
  const step = result.steps.find((s) => s.verdict === 'failed' || s.verdict === 'error');
  const line = step?.line;
  const level = result.verdict === 'skipped' ? 'warning' : 'error';
  const what =
    result.verdict === 'failed' ? 'failed' : result.verdict === 'error' ? 'harness error' : 'not run';
  const title = `${result.id} ${what}${step === undefined ? '' : `: step ${step.index + 1} (${step.title})`}`;
  const props = [
    `file=${property(result.file)}`,
    ...(line === undefined ? [] : [`line=${line}`]),
    `title=${property(title)}`,
  ];
  const message =
    result.verdict === 'skipped' ? (result.message ?? 'not run') : describeFailure(result).join('\n');
  return `::${level} ${props.join(',')}::${data(message)}`;
}

/** A command's message: %, CR and LF escaped, as the Actions runner unescapes them. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: as data, and also : and , which end a property. */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
