import { type CTRFReport, ReportBuilder, stringify, TestBuilder, type TestStatus, validate } from 'ctrf';
import { TrialsimError } from '../../simulator/errors.js';
import type { RunResults, Verdict } from '../results/result-types.js';

/**
 * CTRF (Common Test Report Format) JSON for CI dashboards, built with the `ctrf` package's own
 * builders and checked with its schema validator before it is written: one test per step, the
 * scenario as its suite, the file and line of the step. Times are real-clock milliseconds.
 */
const STATUS: Readonly<Record<Verdict, TestStatus>> = {
  passed: 'passed',
  failed: 'failed',
  // A harness error must turn CI red as a failure does; rawStatus keeps "error".
  error: 'failed',
  skipped: 'skipped',
};

export function ctrfReport(results: RunResults): CTRFReport {
  const start = Date.parse(results.timing.startedAt);
  const builder = new ReportBuilder({ autoGenerateId: false, autoTimestamp: false })
    .timestamp(results.timing.startedAt)
    .generatedBy(`trialsim ${results.tool.version}`)
    .tool({ name: 'trialsim', version: results.tool.version })
    .environment({ appName: 'trialsim', appVersion: results.tool.version })
    .extra({ seed: results.seed, verdict: results.verdict });
  if (results.runId !== undefined) builder.runId(results.runId);
  for (const scenario of results.scenarios) {
    for (const step of scenario.steps) {
      const test = new TestBuilder({ autoGenerateId: false })
        .name(`${scenario.id} › step ${step.index + 1}: ${step.title}`)
        .status(STATUS[step.verdict])
        .rawStatus(step.verdict)
        .duration(step.timing.realMs)
        .suite([scenario.id])
        .filePath(scenario.file)
        .tags([...scenario.tags, ...step.requirements])
        .extra({
          requirements: step.requirements,
          virtualTime: step.virtualTime,
          traceRange: step.traceRange,
          ...(step.expected === undefined ? {} : { expected: step.expected }),
          ...(step.actual === undefined ? {} : { actual: step.actual }),
        });
      if (step.line !== undefined) test.line(step.line);
      if (step.message !== undefined) test.message(step.message);
      builder.addTest(test.build());
    }
  }
  return builder.summaryOverrides({ start, stop: start + results.timing.realMs }).build();
}

/** ctrf.json's text; a report the CTRF schema rejects is a trialsim fault, never written. */
export function ctrfJson(results: RunResults): string {
  const report = ctrfReport(results);
  const check = validate(report);
  if (!check.valid) {
    throw new TrialsimError(
      'CTRF_INVALID',
      `ctrf.json would not be valid CTRF: ${check.errors
        .slice(0, 3)
        .map((e) => `${e.path} ${e.message}`)
        .join('; ')}`,
    );
  }
  return `${stringify(report, { pretty: true })}\n`;
}
