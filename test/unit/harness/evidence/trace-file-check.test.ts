import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkTraceChain } from '../../../../harness/evidence/trace-chain.js';
import { checkTraceFile } from '../../../../harness/evidence/trace-file-check.js';
import type { ScenarioTrace } from '../../../../harness/results/scenario-trace.js';
import { chainTrace } from '../../../support/chain-trace-text.js';

/** `verify` streams trace.jsonl: it must say exactly what the whole-text check says, and hash the same bytes. */
const dir = mkdtempSync(join(tmpdir(), 'trace-file-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function traceOf(count: number): ScenarioTrace {
  return {
    scenario: 's',
    // Non-ASCII summaries: a multi-byte character may straddle two reads.
    entries: Array.from({ length: count }, (_, i) => ({
      seq: i + 1,
      at: Date.UTC(2027, 0, 4, 9) + i * 1000,
      from: 'DCC',
      to: '90-B3-D5-1F-30-01-00-00',
      kind: 'serviceResponse',
      summary: `réponse ${i + 1} — “ok”`,
    })),
    names: { DCC: 'DCC' },
  };
}

/** One edit a tamperer might make to the file's text. */
const edit = fc.oneof(
  fc.constant((t: string) => t),
  fc.nat().map((n) => (t: string) => t.slice(0, n % (t.length + 1))),
  fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 3 })).map(
    ([n, s]) =>
      (t: string) =>
        t.slice(0, n % (t.length + 1)) + s + t.slice(n % (t.length + 1)),
  ),
  fc.nat().map((n) => (t: string) => {
    const ls = t.split('\n');
    ls.splice(n % ls.length, 1);
    return ls.join('\n');
  }),
);

let file = 0;
describe('checkTraceFile (streaming) agrees with checkTraceChain (whole text)', () => {
  it('property: same problems, same line count and the file’s SHA-256, whatever the read size and edit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 97 }),
        edit,
        async (n, chunk, change) => {
          const { text, head } = chainTrace([traceOf(n)]);
          const altered = change(text);
          const path = join(dir, `t${file++}.jsonl`);
          writeFileSync(path, altered);
          const streamed = await checkTraceFile(path, head, chunk);
          expect(streamed.chainProblems).toEqual(checkTraceChain(altered, head));
          expect(streamed.messageLines).toBe(altered.split('\n').filter((l) => l !== '').length);
          expect(streamed.sha256).toBe(createHash('sha256').update(altered).digest('hex'));
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('without a recorded head it only hashes and counts', async () => {
    const { text } = chainTrace([traceOf(3)]);
    const path = join(dir, 'headless.jsonl');
    writeFileSync(path, text);
    const streamed = await checkTraceFile(path, undefined);
    expect(streamed.chainProblems).toBeUndefined();
    expect(streamed.messageLines).toBe(3);
  });
});
