import { topicMatches } from './topic-filter.js';

/**
 * Counts messages published to in-process subscribers and not yet handled, so the harness can
 * tell when the simulation has settled (no message in flight) before it moves virtual time on.
 * This is how scenarios avoid sleeps: "settled" is a fact, not a guess.
 */
export class ActivityTracker {
  private inFlight = 0;
  /** Filters without wildcards, looked up by the topic itself: one device each, 100k of them. */
  private readonly localTopics = new Set<string>();
  private readonly localFilters = new Set<string>();
  private waiters: (() => void)[] = [];
  /** Counted messages not yet arrived, per topic + payload: tells a redelivered copy apart. */
  private readonly expected = new Map<string, number>();

  /** isLocal's answers by topic; cleared when a subscriber registers. Topics are few per party. */
  private readonly localByTopic = new Map<string, boolean>();

  registerLocalSubscriber(filters: readonly string[]): void {
    this.localByTopic.clear();
    for (const filter of filters) {
      if (filter.includes('+') || filter.includes('#')) this.localFilters.add(filter);
      else this.localTopics.add(filter);
    }
  }

  /** Called before publishing: counts the message if an in-process party will handle it. */
  willPublish(topic: string, payload: Uint8Array): boolean {
    if (!this.isLocal(topic)) return false;
    this.inFlight++;
    const key = messageKey(topic, payload);
    this.expected.set(key, (this.expected.get(key) ?? 0) + 1);
    return true;
  }

  private isLocal(topic: string): boolean {
    if (this.localTopics.has(topic)) return true;
    let local = this.localByTopic.get(topic);
    if (local === undefined) {
      local = false;
      for (const filter of this.localFilters) if (topicMatches(filter, topic)) local = true;
      this.localByTopic.set(topic, local);
    }
    return local;
  }

  /**
   * Called when a message reaches an in-process party, before it is handled. QoS 1 is
   * at-least-once: after a reconnect a message published (and counted) once can arrive twice. A
   * copy nobody counted is counted now, so handled() stays balanced and settle() waits for the
   * copy too instead of going quiet early (test/integration/reliability, broker restart).
   */
  arrived(topic: string, payload: Uint8Array): void {
    const key = messageKey(topic, payload);
    const expected = this.expected.get(key);
    if (expected === undefined) this.inFlight++;
    else if (expected <= 1) this.expected.delete(key);
    else this.expected.set(key, expected - 1);
  }

  /** Called when a counted publish failed: the message will never arrive. */
  withdrawn(topic: string, payload: Uint8Array): void {
    const key = messageKey(topic, payload);
    const expected = this.expected.get(key) ?? 0;
    if (expected <= 1) this.expected.delete(key);
    else this.expected.set(key, expected - 1);
    this.handled();
  }

  /** Called once an in-process party has finished with a message (or a fault dropped it). */
  handled(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Work in flight that is not an MQTT message (a DUIS request over HTTP, a callback POST). */
  begin(): void {
    this.inFlight++;
  }

  /** The end of work counted by begin(). */
  end(): void {
    this.handled();
  }

  get pending(): number {
    return this.inFlight;
  }

  /**
   * Topics of messages counted as published that never arrived (a broker that stopped answering
   * holds them), at most `limit`; the rest of `pending` is messages arrived and still in hand.
   * For the settle guard's message: which way the bus is stuck.
   */
  undelivered(limit = 3): { topics: string[]; count: number } {
    const topics: string[] = [];
    let count = 0;
    for (const [key, copies] of this.expected) {
      count += copies;
      if (topics.length < limit) topics.push(key.slice(0, key.indexOf('\u0000')));
    }
    return { topics, count };
  }

  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * The topic and the payload's bytes themselves (one char per byte): exact, so two different
 * messages can never be mistaken for each other, and cheaper than a digest (twice per message).
 */
function messageKey(topic: string, payload: Uint8Array): string {
  return `${topic}\u0000${Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1')}`;
}
