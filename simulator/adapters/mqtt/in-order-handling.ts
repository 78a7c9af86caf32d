import type { ActivityTracker } from './activity-tracker.js';

/**
 * One party's message handling, in arrival order: a device must see its commands in the order
 * they came. Each message is marked handled with the activity tracker when its handler ends,
 * however it ends; a handler's error goes to `onError` (the run traces it and fails with it;
 * without one, a process warning) and the party carries on: this is the last line that keeps a
 * party alive.
 *
 * A party with nothing in hand starts on a message at once, in the same turn it arrived, rather
 * than a promise job later: its replies then leave with the PUBACK in one write.
 */
export class InOrderHandling {
  private tail: Promise<void> = Promise.resolve();
  private inHand = 0;

  constructor(
    private readonly party: string,
    private readonly tracker: ActivityTracker | undefined,
    private readonly onError?: (message: string) => void,
  ) {}

  handle(run: () => void | Promise<void>): void {
    this.inHand++;
    this.tail = this.inHand === 1 ? this.start(run) : this.tail.then(() => this.start(run));
  }

  /** Resolves once every message received so far has been handled. */
  idle(): Promise<void> {
    return this.tail;
  }

  private start(run: () => void | Promise<void>): Promise<void> {
    let handling: Promise<void>;
    try {
      handling = Promise.resolve(run());
    } catch (err) {
      handling = Promise.reject(err);
    }
    return handling.then(
      () => this.done(),
      (err: unknown) => {
        const message = `${this.party}: its message handler failed: ${err instanceof Error ? err.message : String(err)}`;
        if (this.onError === undefined) process.emitWarning(message);
        else this.onError(message);
        this.done();
      },
    );
  }

  private done(): void {
    this.inHand--;
    this.tracker?.handled();
  }
}
