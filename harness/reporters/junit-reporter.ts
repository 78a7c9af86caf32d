import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunResults, ScenarioResult } from '../results/result-types.js';
import { describeFailure } from './console-reporter.js';
import type { Reporter } from './reporter.js';

/** XML 1.0 text: escape markup and drop the control characters XML cannot carry at all. */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing exactly those characters
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

/**
 * The step that decided a failed or errored scenario, with its line in the scenario file: CI
 * annotates `file:line` (GitLab, Jenkins and the JUnit annotators read `file` and `line`).
 */
function decidingStep(result: ScenarioResult) {
  return result.steps.find((s) => s.verdict === 'failed' || s.verdict === 'error');
}

function testcase(result: ScenarioResult): string {
  const step = decidingStep(result);
  const line = step?.line;
  const head = `    <testcase${attrs({
    name: `${result.id}: ${result.title}`,
    classname: `trialsim.${result.tags[0] ?? 'scenario'}`,
    file: result.file,
    ...(line === undefined ? {} : { line }),
    time: (result.timing.realMs / 1000).toFixed(3),
  })}`;
  const where = line === undefined ? [] : [`at ${result.file}:${line} (step ${(step?.index ?? 0) + 1})`];
  const details = xmlEscape([...describeFailure(result), ...where].join('\n'));
  const message = `${line === undefined ? '' : `${result.file}:${line}: `}${result.message ?? result.verdict}`;
  switch (result.verdict) {
    case 'passed':
      return `${head}/>`;
    case 'skipped':
      return `${head}>\n      <skipped${attrs({ message })}/>\n    </testcase>`;
    case 'failed':
      return `${head}>\n      <failure${attrs({ message, type: 'ExpectationFailure' })}>${details}</failure>\n    </testcase>`;
    case 'error':
      return `${head}>\n      <error${attrs({ message, type: 'HarnessError' })}>${details}</error>\n    </testcase>`;
  }
}

/**
 * JUnit XML for CI (one testsuite, one testcase per scenario; `failure` when the system under
 * test misbehaved, `error` when the harness did). Render with junitXml(); JunitReporter writes it.
 */
export function junitXml(results: RunResults): string {
  const s = results.summary;
  const tests = s.passed + s.failed + s.error + s.skipped;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'trialsim', tests, failures: s.failed, errors: s.error, skipped: s.skipped, time: (results.timing.realMs / 1000).toFixed(3) })}>`,
    `  <testsuite${attrs({
      name: `trialsim ${results.tool.version} (seed ${results.seed})`,
      tests,
      failures: s.failed,
      errors: s.error,
      skipped: s.skipped,
      timestamp: results.timing.startedAt.replace(/\.\d+Z$/, ''),
      time: (results.timing.realMs / 1000).toFixed(3),
    })}>`,
    ...results.scenarios.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export class JunitReporter implements Reporter {
  constructor(private readonly file: string) {}

  async onRunEnd(results: RunResults): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    await writeFile(this.file, junitXml(results));
  }
}
