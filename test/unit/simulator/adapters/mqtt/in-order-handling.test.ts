import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActivityTracker } from '../../../../../simulator/adapters/mqtt/activity-tracker.js';
import { InOrderHandling } from '../../../../../simulator/adapters/mqtt/in-order-handling.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** A handler that finishes when the test says so: order is then up to InOrderHandling alone. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

describe('InOrderHandling: one party’s messages, one at a time, in arrival order', () => {
  it('starts an idle party’s handler at once, in the same turn', () => {
    const handling = new InOrderHandling('p', undefined);
    let ran = false;
    handling.handle(() => {
      ran = true;
    });
    expect(ran).toBe(true);
  });

  it('holds later messages until earlier ones are handled, whatever order they finish in', async () => {
    const handling = new InOrderHandling('p', undefined);
    const log: string[] = [];
    const first = gate();
    handling.handle(async () => {
      log.push('start 1');
      await first.wait;
      log.push('end 1');
    });
    handling.handle(() => {
      log.push('start 2');
    });
    handling.handle(async () => {
      log.push('start 3');
    });
    await Promise.resolve();
    expect(log).toEqual(['start 1']);
    first.open();
    await handling.idle();
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'start 3']);
  });

  it('a handler that throws or rejects is reported, counted as handled, and the party carries on', async () => {
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const tracker = new ActivityTracker();
    tracker.registerLocalSubscriber(['t']);
    const handling = new InOrderHandling('party-x', tracker);
    const payload = Uint8Array.of(1);
    for (let i = 0; i < 3; i++) {
      tracker.willPublish('t', payload);
      tracker.arrived('t', payload);
    }
    const log: string[] = [];
    handling.handle(() => {
      throw new Error('sync boom');
    });
    handling.handle(async () => {
      throw new Error('async boom');
    });
    handling.handle(() => {
      log.push('third ran');
    });
    await tracker.whenIdle();
    expect(log).toEqual(['third ran']);
    expect(tracker.pending).toBe(0);
    expect(warnings.mock.calls.map((call) => String(call[0]))).toEqual([
      'party-x: its message handler failed: sync boom',
      'party-x: its message handler failed: async boom',
    ]);
  });
});
