import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeBundleTrace } from '../../../../harness/evidence/bundle-trace-file.js';
import {
  checkTraceChain,
  type ReportTraceLine,
  TRACE_FILE,
} from '../../../../harness/evidence/trace-chain.js';
import type { ScenarioTrace } from '../../../../harness/results/scenario-trace.js';
import { chainTrace } from '../../../support/chain-trace-text.js';

/** Lines of some 400 bytes: 6,000 of them cross the writer's 1 MiB chunk a couple of times. */
function traceOf(count: number, scenario: string): ScenarioTrace {
  return {
    scenario,
    names: { '90-B3-D5-1F-30-01-00-00': 'supplier-a', DCC: 'DCC' },
    entries: Array.from({ length: count }, (_, i) => ({
      seq: i + 1,
      at: Date.UTC(2027, 0, 4, 9) + i * 1000,
      from: i % 2 === 0 ? '90-B3-D5-1F-30-01-00-00' : 'DCC',
      to: i % 2 === 0 ? 'DCC' : '90-B3-D5-1F-30-01-00-00',
      kind: i % 2 === 0 ? 'serviceRequest' : 'serviceResponse',
      // A character outside ASCII, so a chunk's byte length and its string length differ.
      summary: `message ${i + 1} → ${'x'.repeat(200)}`,
      detail: { counter: BigInt(i), bytes: new Uint8Array([i & 0xff, 1]), responseCode: 'I0' },
    })),
  };
}

describe('trace.jsonl streamed into the bundle (EVIDENCE.md "Trace hash chain")', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialsim-trace-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes, across chunks, exactly the chain made in one piece, with its SHA-256, size and head', async () => {
    const traces = [traceOf(6000, 'a'), traceOf(7, 'b')];
    const written = await writeBundleTrace(dir, traces);
    const whole = chainTrace(traces);
    const bytes = await readFile(join(dir, TRACE_FILE));
    expect(bytes.toString('utf8')).toBe(whole.text);
    expect(bytes.length).toBeGreaterThan(2 << 20);
    expect(written.file).toEqual({
      path: TRACE_FILE,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length,
    });
    expect(written.head).toEqual(whole.head);
    expect(checkTraceChain(bytes.toString('utf8'), written.head)).toEqual([]);
  });

  it('gives the report every line in order, as the file has it, without its place in the chain', async () => {
    const lines: ReportTraceLine[] = [];
    await writeBundleTrace(dir, [traceOf(3, 'a'), traceOf(2, 'b')], (line) => lines.push(line));
    const fromFile = (await readFile(join(dir, TRACE_FILE), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => `${l.scenario}#${l.seq}`)).toEqual(['a#1', 'a#2', 'a#3', 'b#1', 'b#2']);
    for (const [i, line] of lines.entries()) {
      const { index, prev, detail, ...rest } = fromFile[i] as Record<string, unknown>;
      expect(index).toBe(i + 1);
      expect(typeof prev).toBe('string');
      expect({ ...line, detail: undefined }).toEqual({ ...rest, detail: undefined });
      expect((line.detail as { responseCode: string }).responseCode).toBe(
        (detail as { responseCode: string }).responseCode,
      );
    }
  });

  it('an empty trace is an empty file at the genesis head', async () => {
    const lines: ReportTraceLine[] = [];
    const written = await writeBundleTrace(dir, [], (line) => lines.push(line));
    expect(await readFile(join(dir, TRACE_FILE), 'utf8')).toBe('');
    expect(written.head).toEqual(chainTrace([]).head);
    expect(written.file.bytes).toBe(0);
    expect(lines).toEqual([]);
  });
});
