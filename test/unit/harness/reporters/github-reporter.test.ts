import { describe, expect, it } from 'vitest';
import { annotationFor } from '../../../../harness/reporters/github-reporter.js';
import type { ScenarioResult, StepResult } from '../../../../harness/results/result-types.js';

const step = (index: number, verdict: StepResult['verdict'], line?: number): StepResult => ({
  index,
  ...(line === undefined ? {} : { line }),
  title: `step, with: 100%`,
  kind: 'send',
  requirements: [],
  verdict,
  virtualTime: '2027-01-04T09:00:00.000Z',
  traceRange: [0, 0],
  timing: { realMs: 1 },
});

const result = (
  verdict: ScenarioResult['verdict'],
  steps: StepResult[],
  message?: string,
): ScenarioResult => ({
  id: 'a-scenario',
  title: 'A scenario',
  file: 'suite/odd,name:1.yaml',
  tags: [],
  seed: 's',
  verdict,
  ...(message === undefined ? {} : { message }),
  virtualStart: '2027-01-04T09:00:00.000Z',
  virtualEnd: '2027-01-04T09:00:00.000Z',
  steps,
  messageCount: 0,
  timing: { realMs: 1 },
});

describe('GitHub Actions workflow commands', () => {
  it('escape what the runner would read as the end of a property or of the command', () => {
    const command = annotationFor(
      result('failed', [step(0, 'passed', 5), step(1, 'failed', 9)], 'expected I0, got E21\n100% wrong'),
    );
    expect(command).toBe(
      '::error file=suite/odd%2Cname%3A1.yaml,line=9,title=a-scenario failed%3A step 2 (step%2C with%3A 100%25)::expected I0, got E21%0A100%25 wrong',
    );
  });

  it('a harness error is an error too; a pass is no command; a step without a line gives no line', () => {
    expect(annotationFor(result('error', [step(0, 'error')], 'boom'))).toMatch(
      /^::error file=[^,]+,title=a-scenario harness error%3A step 1 .*::boom$/,
    );
    expect(annotationFor(result('passed', [step(0, 'passed', 3)]))).toBeUndefined();
  });
});
