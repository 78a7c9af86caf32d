import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { esme, outcomeCode, startTrialStack } from '../../support/acme-world.js';

/**
 * DUIS: a RequestID counter must rise, so the DCC refuses a request that reuses one (E12, rule
 * DUIS-REQUESTID-COUNTER). A replay test may send the copy while the first request is still
 * out: both then share one RequestID at the user, and each must still end in its own outcome.
 */
describe('a reused RequestID counter: the copy and the original each get their own outcome', () => {
  let stack: SimStack;
  beforeAll(async () => {
    stack = await startTrialStack('replayed-counter', [esme(1, { preinstalled: true })]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('E12 DUIS-REQUESTID-COUNTER for a copy sent while the original is still out; I0 for the original', async () => {
    const supplier = stack.user('supplier-a');
    const target = stack.deviceSpec('esme1').eui;
    const original = supplier.request({ srv: '11.2', target });
    const copy = supplier.request({ srv: '11.2', target, counter: supplier.lastCounter });
    expect(copy.requestId).toBe(original.requestId);
    const [first, second] = await Promise.all([original.final, copy.final]);
    expect(outcomeCode(first)).toBe('I0');
    expect(second.kind === 'response' ? second.response.rule : undefined).toBe('DUIS-REQUESTID-COUNTER');
    expect(outcomeCode(second)).toBe('E12');
    expect(original.responses.map((r) => r.responseCode)).toEqual(['I99', 'I0']);
    expect(supplier.outstanding).toBe(0);
  });

  it('a copy sent after the original has ended gets the refusal as its outcome', async () => {
    const supplier = stack.user('supplier-a');
    const target = stack.deviceSpec('esme1').eui;
    const original = supplier.request({ srv: '11.2', target });
    expect(outcomeCode(await original.final)).toBe('I0');
    const copy = supplier.request({ srv: '11.2', target, counter: supplier.lastCounter });
    expect(outcomeCode(await copy.final)).toBe('E12');
    expect(supplier.outstanding).toBe(0);
  });
});
