import type { SchedulingClock } from '../../ports/clock.js';
import type { MessageHandler, Transport } from '../../ports/transport.js';
import type { FaultPlan } from './fault-plan.js';

/** Where a delayed message goes whose publish fails when its time comes (RunFaults in a run). */
export type DelayedFailureSink = (failure: { readonly from: string; readonly message: string }) => void;

/**
 * A party's transport with the fault layer in front of its publishes: the link `self -> to` is
 * looked up in the plan for each message. Faults act on the sending side, before the inner
 * transport counts the message with the ActivityTracker, so a dropped message is never "in
 * flight" and settle() is not left waiting; a delayed one is published (and counted) when the
 * virtual clock reaches its time, so it is in the network, not on the bus, meanwhile. Nobody
 * awaits a delayed publish, so when it fails the failure goes to `onDelayedFailure`, naming the
 * link and the message's due time: a fault-injected message never vanishes unnoticed.
 */
export class FaultyTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly self: string,
    private readonly recipientOf: (topic: string) => string | undefined,
    private readonly plan: FaultPlan,
    private readonly clock: SchedulingClock,
    private readonly onDelayedFailure?: DelayedFailureSink,
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
          const due = new Date(this.clock.now()).toISOString();
          void this.inner.publish(topic, payload).catch((cause: unknown) => {
            const why = cause instanceof Error ? cause.message : String(cause);
            const message = `the message ${this.self} -> ${to} delayed to ${due} was not delivered: ${why}`;
            if (this.onDelayedFailure === undefined) process.emitWarning(message);
            else this.onDelayedFailure({ from: this.self, message });
          });
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
