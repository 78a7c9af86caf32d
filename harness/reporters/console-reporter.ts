import type { RunResults, ScenarioResult, Verdict } from '../results/result-types.js';
import type { Reporter } from './reporter.js';

const MARK: Readonly<Record<Verdict, string>> = {
  passed: 'PASS',
  failed: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIP',
};

/** Human progress on stderr-free stdout: one line per scenario, details for what went wrong. */
export class ConsoleReporter implements Reporter {
  private done = 0;
  private total = 0;

  constructor(private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  onRunStart(scenarioCount: number): void {
    this.total = scenarioCount;
    this.write(`trialsim: running ${scenarioCount} scenario${scenarioCount === 1 ? '' : 's'}`);
  }

  onScenarioEnd(result: ScenarioResult): void {
    this.done++;
    const seconds = (result.timing.realMs / 1000).toFixed(2);
    this.write(
      `[${this.done}/${this.total}] ${MARK[result.verdict].padEnd(5)} ${result.id} — ${result.title} (${result.steps.length} steps, ${seconds} s)`,
    );
    if (result.verdict === 'failed' || result.verdict === 'error') {
      this.write(`        ${result.message ?? ''}`);
      const bad = result.steps.find((s) => s.verdict === 'failed' || s.verdict === 'error');
      if (bad?.expected !== undefined) this.write(`        expected: ${JSON.stringify(bad.expected)}`);
      if (bad?.actual !== undefined) this.write(`        actual:   ${JSON.stringify(bad.actual)}`);
    }
  }

  onRunEnd(results: RunResults): void {
    const s = results.summary;
    this.write(
      `${MARK[results.verdict]}: ${s.passed} passed, ${s.failed} failed, ${s.error} errors, ${s.skipped} skipped`,
    );
  }
}
