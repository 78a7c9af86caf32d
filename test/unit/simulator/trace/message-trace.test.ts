import { describe, expect, it } from 'vitest';
import { MessageTrace } from '../../../../simulator/trace/message-trace.js';

describe('MessageTrace: messages described when the trace is read', () => {
  it('describes a deferred entry once, on first read, in sequence with eager ones', () => {
    const trace = new MessageTrace();
    let described = 0;
    trace.add({ at: 1, from: 'a', to: 'b', kind: 'notice', summary: 'first' });
    trace.addDeferred({
      at: 2,
      from: 'b',
      to: 'c',
      kind: 'gbcs',
      describe: () => {
        described++;
        return { summary: 'second', detail: { n: 2 } };
      },
    });
    trace.add({ at: 3, from: 'c', to: 'd', kind: 'notice', summary: 'third' });
    expect(trace.length).toBe(3);
    expect(described).toBe(0);
    const all = trace.all();
    expect(all).toEqual([
      { seq: 1, at: 1, from: 'a', to: 'b', kind: 'notice', summary: 'first' },
      { seq: 2, at: 2, from: 'b', to: 'c', kind: 'gbcs', summary: 'second', detail: { n: 2 } },
      { seq: 3, at: 3, from: 'c', to: 'd', kind: 'notice', summary: 'third' },
    ]);
    // Same keys in the same order as an eager entry: the evidence's bytes do not change.
    expect(Object.keys(all[1] as object)).toEqual(['seq', 'at', 'from', 'to', 'kind', 'summary', 'detail']);
    trace.all();
    expect(described).toBe(1);
  });

  it('around() describes only what it returns; all() later describes the rest', () => {
    const trace = new MessageTrace();
    const seen: number[] = [];
    for (let i = 1; i <= 6; i++) {
      trace.addDeferred({
        at: i,
        from: 'x',
        to: 'y',
        kind: 'gbcs',
        describe: () => {
          seen.push(i);
          return { summary: `#${i}` };
        },
      });
    }
    expect(trace.around(3, 1, 0).map((e) => e.summary)).toEqual(['#2', '#3']);
    expect(seen).toEqual([1, 2, 3]);
    expect(trace.all().map((e) => e.summary)).toEqual(['#1', '#2', '#3', '#4', '#5', '#6']);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('onAdd tells a live view that entries were added without describing them; since() reads the new ones', () => {
    const trace = new MessageTrace();
    let described = 0;
    let told = 0;
    const stop = trace.onAdd(() => told++);
    trace.add({ at: 1, from: 'a', to: 'b', kind: 'notice', summary: 'first' });
    trace.addDeferred({
      at: 2,
      from: 'b',
      to: 'c',
      kind: 'gbcs',
      describe: () => {
        described++;
        return { summary: 'second' };
      },
    });
    expect([told, described]).toEqual([2, 0]);
    expect(trace.since(1).map((e) => e.summary)).toEqual(['second']);
    expect(trace.since(2)).toEqual([]);
    stop();
    trace.add({ at: 3, from: 'c', to: 'd', kind: 'notice', summary: 'third' });
    expect(told).toBe(2);
  });
});
