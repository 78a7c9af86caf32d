import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TraceSpillFile } from '../../../../simulator/adapters/trace/trace-spill-file.js';
import { MessageTrace, SPILL_BATCH, type TraceEntry } from '../../../../simulator/trace/message-trace.js';

/** Details of the shapes the DCC and the harness trace: bytes, undefined members, nesting, a Map. */
function detailOf(i: number): Record<string, unknown> | undefined {
  switch (i % 4) {
    case 0:
      return { requestId: `R-${i}`, rule: undefined, body: { image: new Uint8Array([i & 0xff, 7, 9]) } };
    case 1:
      return { apdu: 'dd00', counter: BigInt(i), nested: [{ z: 1, a: 2 }], byEui: new Map([['x', i]]) };
    case 2:
      return undefined;
    default:
      return { responseCode: 'I0', reason: `ok → ${i}` };
  }
}

/** The same messages into `trace`, every third one deferred (described when read or spilled). */
function fill(trace: MessageTrace, count: number, described: number[]): void {
  for (let i = 1; i <= count; i++) {
    const base = { at: 1_000 + i, from: `P-${i % 7}`, to: 'DCC', kind: i % 2 === 0 ? 'gbcs' : 'notice' };
    const detail = detailOf(i);
    const text = { summary: `message ${i}`, ...(detail === undefined ? {} : { detail }) };
    if (i % 3 === 0) {
      trace.addDeferred({
        ...base,
        describe: () => {
          described.push(i);
          return text;
        },
      });
    } else {
      trace.add({ ...base, ...text });
    }
  }
}

/** Key order included: trace.jsonl's bytes do not depend on it, but results' `around` would. */
function shapeOf(entries: readonly TraceEntry[]): string[] {
  return entries.map((e) =>
    JSON.stringify([Object.keys(e), e.detail === undefined ? [] : Object.keys(e.detail)]),
  );
}

describe('MessageTrace with a spill (TraceSpillFile): older entries on disk, read back unchanged', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialsim-spill-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const count = 2 * SPILL_BATCH + 1_234;

  it('reads back equal to a trace held in memory: every entry, since(), around(), length', () => {
    const held = new MessageTrace();
    const spilled = new MessageTrace(new TraceSpillFile(dir));
    fill(held, count, []);
    fill(spilled, count, []);
    expect(spilled.length).toBe(count);
    const all = held.all();
    const back = [...spilled];
    expect(back).toEqual(all);
    expect(shapeOf(back)).toEqual(shapeOf(all));
    // Byte strings stay byte strings (JSON would make an object of numbers of them).
    expect((back[3]?.detail?.body as { image?: unknown } | undefined)?.image).toBeInstanceOf(Uint8Array);
    expect(back[0]?.detail?.byEui).toBeInstanceOf(Map);
    expect(spilled.all()).toEqual(all);
    for (const seq of [
      0,
      1,
      255,
      256,
      257,
      SPILL_BATCH - 1,
      SPILL_BATCH,
      SPILL_BATCH + 1,
      count - 1,
      count,
    ]) {
      expect(spilled.since(seq)).toEqual(held.since(seq));
      expect(spilled.around(seq, 3, 2)).toEqual(held.around(seq, 3, 2));
    }
    expect(spilled.around(SPILL_BATCH + 2, 300, 300)).toEqual(held.around(SPILL_BATCH + 2, 300, 300));
  });

  it('describes each deferred entry once, when it is spilled or read, and leaves no file behind', async () => {
    const trace = new MessageTrace(new TraceSpillFile(dir));
    const described: number[] = [];
    fill(trace, count, described);
    // The spilled ones are described (they are stored as data); the newest are not, until read.
    const spilledDeferred = described.length;
    expect(spilledDeferred).toBeGreaterThan(0);
    expect(described.every((i) => i <= count - SPILL_BATCH)).toBe(true);
    expect([...trace].length).toBe(count);
    [...trace];
    expect(described.length).toBe(Math.floor(count / 3));
    expect(new Set(described).size).toBe(described.length);
    // The file was removed as soon as it was opened: nothing of the trace has a name on disk.
    expect(await readdir(dir)).toEqual([]);
  });

  it('a reader that waits between entries while more are added (and spilled) still reads each one once, in order', () => {
    const trace = new MessageTrace(new TraceSpillFile(dir));
    fill(trace, SPILL_BATCH + 10, []);
    const seqs: number[] = [];
    for (const entry of trace) {
      seqs.push(entry.seq);
      // Adds enough while the reader is at the 5th entry for a spill to move the held ones to disk.
      if (entry.seq === 5) fill(trace, 2 * SPILL_BATCH, []);
    }
    expect(seqs).toEqual(Array.from({ length: 3 * SPILL_BATCH + 10 }, (_, i) => i + 1));
  });

  it('without a spill, all() is the held entries as before: nothing is copied', () => {
    const trace = new MessageTrace();
    fill(trace, 10, []);
    expect(trace.all()).toBe(trace.all());
  });
});
