import { describe, expect, it } from 'vitest';
import { awaitOutcome, type RunContext } from '../../../../harness/scenario/run-context.js';
import { TrialsimError } from '../../../../simulator/errors.js';

/** A stack whose bus is always quiet and has nothing scheduled: only the promise can end the wait. */
const quiet = {
  stack: {
    settle: async () => undefined,
    clock: { now: () => 0, nextDue: () => undefined },
    advanceTo: async () => undefined,
  },
  waitGuardMs: 1000,
} as unknown as RunContext;

describe('a step waiting for an SR outcome hears why it will never come', () => {
  it('a request that could not be sent fails the wait with SEND_FAILED and its cause, not "no outcome"', async () => {
    const failed = Promise.reject(
      new TrialsimError('SEND_FAILED', 'supplier-a could not send X: ECONNREFUSED'),
    );
    const error = await awaitOutcome(failed, quiet, 'outcome of X').catch((e: unknown) => e);
    expect((error as TrialsimError).code).toBe('SEND_FAILED');
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it('an outcome that arrives is returned', async () => {
    await expect(awaitOutcome(Promise.resolve('done'), quiet, 'outcome of Y')).resolves.toBe('done');
  });
});
