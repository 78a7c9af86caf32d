import { topicMatches } from './topic-filter.js';

/**
 * Counts messages published to in-process subscribers and not yet handled, so the harness can
 * tell when the simulation has settled (no message in flight) before it moves virtual time on.
 * This is how scenarios avoid sleeps: "settled" is a fact, not a guess.
 */
export class ActivityTracker {
  private inFlight = 0;
  private readonly localFilters = new Set<string>();
  private waiters: (() => void)[] = [];

  registerLocalSubscriber(filters: readonly string[]): void {
    for (const filter of filters) this.localFilters.add(filter);
  }

  /** Called before publishing: counts the message if an in-process party will handle it. */
  willPublish(topic: string): boolean {
    for (const filter of this.localFilters) {
      if (topicMatches(filter, topic)) {
        this.inFlight++;
        return true;
      }
    }
    return false;
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

  get pending(): number {
    return this.inFlight;
  }

  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
