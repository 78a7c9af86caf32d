import { describe, expect, it, vi } from 'vitest';
import { LiveFeed } from '../../../../harness/watch/live-feed.js';
import { MessageTrace } from '../../../../simulator/trace/message-trace.js';

const note = (trace: MessageTrace, at: number, summary: string) =>
  trace.add({ at, from: 'DCC', to: 'DCC', kind: 'notice', summary });

describe('a live-feed listener that throws is recorded in the trace, never only a process warning', () => {
  it('the first failure is a WATCH_LISTENER_FAILED notice naming the listener and cause; the others still get the batch', () => {
    const trace = new MessageTrace();
    const feed = new LiveFeed(trace, {});
    const warnings = vi.spyOn(process, 'emitWarning');
    const seen: string[] = [];
    feed.subscribe(() => {
      throw new Error('socket closed');
    }, 'the console');
    feed.subscribe((batch) => seen.push(...batch.map((e) => e.summary)));
    note(trace, 1000, 'first');
    feed.flush();
    expect(seen).toEqual(['first']);
    const failure = trace.all().find((e) => e.detail?.code === 'WATCH_LISTENER_FAILED');
    expect(failure).toMatchObject({
      at: 1000,
      kind: 'notice',
      detail: { listener: 'the console', failures: 1 },
    });
    expect(failure?.summary).toMatch(/^the console failed: socket closed/);
    expect(warnings).not.toHaveBeenCalled();
    warnings.mockRestore();
  });

  it('a listener failing on every batch (its own notice makes one) cannot grow the trace without bound', () => {
    const trace = new MessageTrace();
    const feed = new LiveFeed(trace, {});
    feed.subscribe(() => {
      throw new Error('always');
    }, 'a broken viewer');
    for (let i = 0; i < 250; i++) {
      note(trace, i, `m${i}`);
      feed.flush();
      feed.flush(); // a notice the failure added is a batch of its own, and fails too
    }
    // 250 messages, and the 3 notices below each a batch it failed on as well.
    expect(feed.failures()).toEqual({ 'a broken viewer': 253 });
    const notices = trace.all().filter((e) => e.detail?.code === 'WATCH_LISTENER_FAILED');
    // The 1st, 10th and 100th failure: three entries for 253 failures, each with the count.
    expect(notices.map((e) => e.detail?.failures)).toEqual([1, 10, 100]);
    expect(notices[2]?.summary).toMatch(/failed 100 times: always/);
  });
});
