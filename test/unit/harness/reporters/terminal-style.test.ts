import { describe, expect, it } from 'vitest';
import { ConsoleReporter } from '../../../../harness/reporters/console-reporter.js';
import { ansi, wantsColour, wantsProgressBar } from '../../../../harness/reporters/terminal-style.js';
import type { RunResults } from '../../../../harness/results/result-types.js';

describe('colour follows NO_COLOR / FORCE_COLOR and the terminal', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ TERM: 'dumb' }, true, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ] as const)('env %o, terminal %s: colour %s', (env, isTTY, colour) => {
    expect(wantsColour({ env, isTTY })).toBe(colour);
  });
});

describe('the progress bar is drawn only on a terminal someone watches', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ CI: 'true' }, true, false],
    [{ CI: '1' }, true, false],
    [{ CI: 'false' }, true, true],
    [{ TERM: 'dumb' }, true, false],
  ] as const)('env %o, terminal %s: bar %s', (env, isTTY, bar) => {
    expect(wantsProgressBar({ env, isTTY })).toBe(bar);
  });
});

describe('console reporter verdict marks', () => {
  const results = {
    verdict: 'failed',
    summary: { passed: 1, failed: 1, error: 0, skipped: 0 },
  } as unknown as RunResults;

  it('are plain by default (a pipe, a log file)', () => {
    const lines: string[] = [];
    new ConsoleReporter((l) => lines.push(l)).onRunEnd(results);
    expect(lines).toEqual(['FAIL: 1 passed, 1 failed, 0 errors, 0 skipped']);
  });

  it('are red for a failure when colour is wanted', () => {
    const lines: string[] = [];
    new ConsoleReporter((l) => lines.push(l), ansi).onRunEnd(results);
    expect(lines[0]).toBe('\u001b[31mFAIL\u001b[39m: 1 passed, 1 failed, 0 errors, 0 skipped');
  });
});
