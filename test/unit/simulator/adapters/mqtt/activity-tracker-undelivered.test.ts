import { describe, expect, it } from 'vitest';
import { ActivityTracker } from '../../../../../simulator/adapters/mqtt/activity-tracker.js';

const bytes = (n: number) => Uint8Array.from([n]);

describe('activity tracker: which way a bus that will not settle is stuck', () => {
  it('counts published messages that never arrived apart from those arrived and still in hand', () => {
    const tracker = new ActivityTracker();
    tracker.registerLocalSubscriber(['t/in/+']);
    for (const n of [1, 2, 3, 4]) tracker.willPublish(`t/in/${n}`, bytes(n));
    expect(tracker.willPublish('t/other', bytes(9))).toBe(false);
    tracker.arrived('t/in/1', bytes(1)); // in a handler now
    tracker.arrived('t/in/2', bytes(2));
    tracker.handled(); // t/in/2 done
    expect(tracker.pending).toBe(3);
    expect(tracker.undelivered(1)).toEqual({ topics: ['t/in/3'], count: 2 });
    expect(tracker.undelivered()).toEqual({ topics: ['t/in/3', 't/in/4'], count: 2 });
    tracker.withdrawn('t/in/3', bytes(3)); // its publish failed
    expect(tracker.undelivered()).toEqual({ topics: ['t/in/4'], count: 1 });
  });
});
