import type { SchedulingClock } from '../../ports/clock.js';
import type { MessageHandler, Transport } from '../../ports/transport.js';
import type { FaultPlan } from './fault-plan.js';

/**
 * A party's transport with the fault layer in front of its publishes: the link `self -> to` is
 * looked up in the plan for each message. Faults act on the sending side, before the inner
 * transport counts the message with the ActivityTracker, so a dropped message is never "in
 * flight" and settle() is not left waiting; a delayed one is published (and counted) when the
 * virtual clock reaches its time, so it is in the network, not on the bus, meanwhile.
 */
export class FaultyTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly self: string,
    private readonly recipientOf: (topic: string) => string | undefined,
    private readonly plan: FaultPlan,
    private readonly clock: SchedulingClock,
  ) {}

  get clientId(): string {
    return this.inner.clientId;
  }

  async publish(topic: string, payload: Uint8Array): Promise<void> {
    if (!this.plan.armed) return this.inner.publish(topic, payload); // the usual case: no faults
    const to = this.recipientOf(topic);
    const decision =
      to === undefined ? { kind: 'pass' as const } : this.plan.decide(this.self, to, payload.length);
    switch (decision.kind) {
      case 'pass':
        return this.inner.publish(topic, payload);
      case 'drop':
        return;
      case 'delay':
        this.clock.schedule(this.clock.now() + decision.ms, `delayed message ${this.self} -> ${to}`, () => {
          void this.inner.publish(topic, payload).catch(() => undefined);
        });
        return;
      case 'duplicate':
        await Promise.all([this.inner.publish(topic, payload), this.inner.publish(topic, payload)]);
        return;
      case 'corrupt': {
        const copy = Uint8Array.from(payload);
        if (copy.length > 0) copy[decision.byteIndex] = (copy[decision.byteIndex] as number) ^ decision.mask;
        return this.inner.publish(topic, copy);
      }
    }
  }

  subscribe(filters: readonly string[], handler: MessageHandler): Promise<void> {
    return this.inner.subscribe(filters, handler);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
