import type { RunResults, Verdict } from '../results/result-types.js';

/**
 * CTRF (Common Test Report Format, ctrf.io) JSON for CI dashboards: one test per step, the
 * scenario as its suite. Times are real-clock milliseconds.
 */
const STATUS: Readonly<Record<Verdict, 'passed' | 'failed' | 'skipped' | 'other'>> = {
  passed: 'passed',
  failed: 'failed',
  error: 'failed',
  skipped: 'skipped',
};

export function ctrfJson(results: RunResults): string {
  const start = Date.parse(results.timing.startedAt);
  const tests = results.scenarios.flatMap((scenario) =>
    scenario.steps.map((step) => ({
      name: `${scenario.id} › step ${step.index + 1}: ${step.title}`,
      status: STATUS[step.verdict],
      duration: step.timing.realMs,
      suite: scenario.id,
      filePath: scenario.file,
      tags: [...scenario.tags, ...step.requirements],
      ...(step.message === undefined ? {} : { message: step.message }),
      ...(step.verdict === 'error' ? { rawStatus: 'error' } : {}),
      extra: {
        requirements: step.requirements,
        virtualTime: step.virtualTime,
        traceRange: step.traceRange,
        ...(step.expected === undefined ? {} : { expected: step.expected }),
        ...(step.actual === undefined ? {} : { actual: step.actual }),
      },
    })),
  );
  const count = (status: string) => tests.filter((t) => t.status === status).length;
  const report = {
    reportFormat: 'CTRF',
    specVersion: '0.0.0',
    ...(results.runId === undefined ? {} : { runId: results.runId }),
    generatedBy: `trialsim ${results.tool.version}`,
    results: {
      tool: { name: 'trialsim', version: results.tool.version },
      summary: {
        tests: tests.length,
        passed: count('passed'),
        failed: count('failed'),
        pending: 0,
        skipped: count('skipped'),
        other: count('other'),
        start,
        stop: start + results.timing.realMs,
      },
      tests,
      environment: { appName: 'trialsim', appVersion: results.tool.version },
      extra: { seed: results.seed, verdict: results.verdict },
    },
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
