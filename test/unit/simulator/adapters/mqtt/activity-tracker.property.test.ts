import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ActivityTracker } from '../../../../../simulator/adapters/mqtt/activity-tracker.js';

/**
 * settle() trusts the ActivityTracker: "nothing in flight" must mean every counted message has
 * arrived and every arrival has been handled. QoS 1 may deliver a message twice (after a
 * reconnect, or a duplicating link), in any order with other messages; the tracker must stay
 * exact whatever the interleaving.
 */
type Action =
  | { kind: 'publish'; topic: number }
  | { kind: 'arrive'; pick: number }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'handle'; pick: number }
  | { kind: 'withdraw'; pick: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('publish' as const), topic: fc.nat(2) }),
  fc.record({ kind: fc.constant('arrive' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('handle' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }),
);

interface Sent {
  readonly topic: string;
  readonly payload: Uint8Array;
  arrived: boolean;
}

describe('ActivityTracker: in flight = counted and not arrived + arrived and not handled', () => {
  it('holds after every step of any interleaving of publishes, deliveries, duplicates and handling', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 120 }), (actions) => {
        const tracker = new ActivityTracker();
        const topics = ['t/dcc', 't/dev/1', 't/dev/2'];
        tracker.registerLocalSubscriber(topics);
        const sent: Sent[] = [];
        const unhandled: Sent[] = [];
        let serial = 0;
        for (const step of actions) {
          if (step.kind === 'publish') {
            // Every real message is unique (RequestID, counter, MAC): so is every payload here.
            const payload = Uint8Array.from(Buffer.from(`message ${serial++}`));
            const topic = topics[step.topic] as string;
            expect(tracker.willPublish(topic, payload)).toBe(true);
            sent.push({ topic, payload, arrived: false });
          } else if (step.kind === 'arrive' || step.kind === 'withdraw') {
            const waiting = sent.filter((s) => !s.arrived);
            const message = waiting[step.pick % Math.max(1, waiting.length)];
            if (message === undefined) continue;
            message.arrived = true; // a withdrawn message never arrives: same bookkeeping here
            if (step.kind === 'arrive') {
              tracker.arrived(message.topic, message.payload);
              unhandled.push(message);
            } else {
              tracker.withdrawn(message.topic, message.payload);
            }
          } else if (step.kind === 'duplicate') {
            const delivered = sent.filter((s) => s.arrived);
            const message = delivered[step.pick % Math.max(1, delivered.length)];
            if (message === undefined) continue;
            tracker.arrived(message.topic, message.payload);
            unhandled.push(message);
          } else {
            if (unhandled.length === 0) continue;
            unhandled.splice(step.pick % unhandled.length, 1);
            tracker.handled();
          }
          const notArrived = sent.filter((s) => !s.arrived).length;
          expect(tracker.pending).toBe(notArrived + unhandled.length);
        }
      }),
      { seed: 20261122, numRuns: 400 },
    );
  });

  it('a local subscriber registered later is counted from then on; other topics are never counted', () => {
    const tracker = new ActivityTracker();
    const payload = Uint8Array.of(1, 2, 3);
    expect(tracker.willPublish('a/b', payload)).toBe(false);
    tracker.registerLocalSubscriber(['a/+']);
    expect(tracker.willPublish('a/b', payload)).toBe(true);
    expect(tracker.willPublish('c/d', payload)).toBe(false);
    expect(tracker.pending).toBe(1);
  });
});
