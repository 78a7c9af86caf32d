import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTraceChain, GENESIS } from '../../../../harness/evidence/trace-chain.js';
import type { ScenarioTrace } from '../../../../harness/results/scenario-trace.js';
import type { TraceEntry } from '../../../../simulator/trace/message-trace.js';
import { chainTrace } from '../../../support/chain-trace-text.js';

/** EVIDENCE.md "Trace hash chain": any single edit, removal or cut of the chain is detected and located. */
function traceOf(count: number, scenario = 's'): ScenarioTrace {
  const entries: TraceEntry[] = Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    at: Date.UTC(2027, 0, 4, 9) + i * 1000,
    from: i % 2 === 0 ? '90-B3-D5-1F-30-01-00-00' : 'DCC',
    to: i % 2 === 0 ? 'DCC' : '90-B3-D5-1F-30-01-00-00',
    kind: i % 2 === 0 ? 'serviceRequest' : 'serviceResponse',
    summary: `message ${i + 1}`,
    detail: { counter: BigInt(i), bytes: new Uint8Array([i & 0xff, 1]) },
  }));
  return { scenario, entries, names: { '90-B3-D5-1F-30-01-00-00': 'supplier-a', DCC: 'DCC' } };
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const join = (ls: readonly string[]) => ls.map((l) => `${l}\n`).join('');

describe('trace hash chain', () => {
  it('chains every entry to the previous one from the genesis hash, across scenarios, with names', () => {
    const { text, head } = chainTrace([traceOf(3, 'a'), traceOf(2, 'b')]);
    const parsed = lines(text).map((l) => JSON.parse(l));
    expect(parsed.map((p) => p.index)).toEqual([1, 2, 3, 4, 5]);
    expect(parsed.map((p) => `${p.scenario}#${p.seq}`)).toEqual(['a#1', 'a#2', 'a#3', 'b#1', 'b#2']);
    expect(parsed[0].prev).toBe(GENESIS);
    expect(parsed[0].fromName).toBe('supplier-a');
    expect(parsed[0].detail).toEqual({ bytes: '0001', counter: '0' });
    expect(head.entries).toBe(5);
    expect(checkTraceChain(text, head)).toEqual([]);
  });

  it('an empty trace verifies against an empty head', () => {
    const { text, head } = chainTrace([]);
    expect(text).toBe('');
    expect(head.head).toBe(GENESIS);
    expect(checkTraceChain(text, head)).toEqual([]);
  });

  it('property: editing any one entry names that entry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), fc.string({ minLength: 1 }), (n, pick, junk) => {
        const { text, head } = chainTrace([traceOf(n)]);
        const ls = lines(text);
        const i = pick % n;
        const entry = JSON.parse(ls[i] as string);
        entry.summary = `${entry.summary}${junk}`;
        ls[i] = JSON.stringify(entry);
        const problems = checkTraceChain(join(ls), head);
        const named =
          i === n - 1
            ? problems.some(
                (p) =>
                  p.includes(`entry ${n} (the last) was altered`) || p.includes(`entry ${n} was altered`),
              )
            : problems.some((p) => p.includes(`entry ${i + 1} was altered`));
        expect(named, problems.join('; ')).toBe(true);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('property: removing any one entry names it as removed (or the trace as cut short if it was the last)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), (n, pick) => {
        const { text, head } = chainTrace([traceOf(n)]);
        const ls = lines(text);
        const i = pick % n;
        ls.splice(i, 1);
        const problems = checkTraceChain(join(ls), head);
        const expected =
          i === n - 1 ? `cut short: ${n - 1} of ${n} entries remain` : `entry ${i + 1} was removed`;
        expect(
          problems.some((p) => p.includes(expected)),
          problems.join('; '),
        ).toBe(true);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('swapping two entries is detected', () => {
    const { text, head } = chainTrace([traceOf(6)]);
    const ls = lines(text);
    [ls[2], ls[3]] = [ls[3] as string, ls[2] as string];
    expect(checkTraceChain(join(ls), head)[0]).toMatch(/line 3 holds entry 4/);
  });

  it('a line re-serialised with the same content but other bytes is named as altered', () => {
    const { text, head } = chainTrace([traceOf(4)]);
    const ls = lines(text);
    ls[1] = JSON.stringify(JSON.parse(ls[1] as string), null, 0).replace('{', '{ ');
    expect(checkTraceChain(join(ls), head)).toContain(
      "trace.jsonl: entry 2 was altered (entry 3's prev hash does not match it)",
    );
  });
});
