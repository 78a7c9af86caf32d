import { describe, expect, it } from 'vitest';
import { FaultPlan } from '../../../../../simulator/adapters/faults/fault-plan.js';
import { FaultyTransport } from '../../../../../simulator/adapters/faults/faulty-transport.js';
import type { MessageHandler, Transport } from '../../../../../simulator/ports/transport.js';
import { SeededRandom } from '../../../../../simulator/time/seeded-random.js';
import { VirtualClock } from '../../../../../simulator/time/virtual-clock.js';

/** An in-memory transport that records what reaches the bus. */
class RecordingTransport implements Transport {
  readonly clientId = 'recording';
  readonly published: { topic: string; payload: Uint8Array }[] = [];
  async publish(topic: string, payload: Uint8Array): Promise<void> {
    this.published.push({ topic, payload });
  }
  async subscribe(_filters: readonly string[], _handler: MessageHandler): Promise<void> {}
  async close(): Promise<void> {}
}

function setUp() {
  const inner = new RecordingTransport();
  const plan = new FaultPlan(new SeededRandom('t'));
  const clock = new VirtualClock(0);
  // Topic "to/<name>" goes to <name>: enough to name the link's far end.
  const transport = new FaultyTransport(inner, 'dcc', (topic) => topic.split('/')[1], plan, clock);
  return { inner, plan, clock, transport };
}

const bytes = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const rule = { from: 'dcc', to: 'esme1', count: 1, after: 0, probability: 1, delayMs: 0 } as const;

describe('faulty transport (the fault layer in front of a party)', () => {
  it('passes messages untouched when no rule applies', async () => {
    const { inner, transport } = setUp();
    await transport.publish('to/esme1', bytes);
    expect(inner.published).toEqual([{ topic: 'to/esme1', payload: bytes }]);
  });

  it('drop: the message never reaches the bus (so it is never counted in flight)', async () => {
    const { inner, plan, transport } = setUp();
    plan.add({ ...rule, action: 'drop' });
    await transport.publish('to/esme1', bytes);
    await transport.publish('to/esme1', bytes);
    expect(inner.published).toHaveLength(1);
  });

  it('duplicate: the message reaches the bus twice', async () => {
    const { inner, plan, transport } = setUp();
    plan.add({ ...rule, action: 'duplicate' });
    await transport.publish('to/esme1', bytes);
    expect(inner.published).toHaveLength(2);
  });

  it("corrupt: exactly one byte differs and the caller's bytes are not modified", async () => {
    const { inner, plan, transport } = setUp();
    plan.add({ ...rule, action: 'corrupt' });
    const original = Uint8Array.from(bytes);
    await transport.publish('to/esme1', bytes);
    expect(bytes).toEqual(original);
    const sent = inner.published[0]?.payload as Uint8Array;
    expect([...sent].filter((b, i) => b !== original[i])).toHaveLength(1);
  });

  it('delay: the message is published when virtual time reaches its due time, not before', async () => {
    const { inner, plan, clock, transport } = setUp();
    plan.add({ ...rule, action: 'delay', delayMs: 30_000 });
    await transport.publish('to/esme1', bytes);
    expect(inner.published).toHaveLength(0);
    await clock.advanceTo(29_999, async () => {});
    expect(inner.published).toHaveLength(0);
    await clock.advanceTo(30_000, async () => {});
    expect(inner.published).toHaveLength(1);
  });

  it('delay: a delayed message whose publish fails when its time comes is reported with its link and due time, not dropped', async () => {
    const failures: { from: string; message: string }[] = [];
    const failing: Transport = {
      clientId: 'failing',
      publish: () => Promise.reject(new Error('the broker closed its connection')),
      subscribe: async () => {},
      close: async () => {},
    };
    const plan = new FaultPlan(new SeededRandom('t'));
    const clock = new VirtualClock(0);
    const transport = new FaultyTransport(
      failing,
      'dcc',
      (topic) => topic.split('/')[1],
      plan,
      clock,
      (f) => failures.push(f),
    );
    plan.add({ ...rule, action: 'delay', delayMs: 30_000 });
    await transport.publish('to/esme1', bytes);
    await clock.advanceTo(30_000, async () => {});
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(failures).toEqual([
      {
        from: 'dcc',
        message:
          'the message dcc -> esme1 delayed to 1970-01-01T00:00:30.000Z was not delivered: the broker closed its connection',
      },
    ]);
  });
});
