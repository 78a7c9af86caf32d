/** What the live clock moves: a stack's virtual time (SimStack.advanceTo settles as it goes). */
export interface AdvanceableStack {
  advanceTo(target: number): Promise<unknown>;
  readonly clock: { now(): number };
}

/**
 * Virtual time that follows real time from a start instant, plus whatever a person skipped
 * ahead (`advanceBy`). `trialsim up` ticks it so the DCC's response deadlines fire as in the
 * field; the console's clock control skips ahead. Moves never overlap: each waits for the last.
 */
export class LiveClock {
  private offset = 0;
  private readonly realStart: number;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private moving = 0;

  constructor(
    private readonly stack: AdvanceableStack,
    private readonly start: number,
    private readonly realNow: () => number = () => performance.now(),
    private readonly onError: (err: unknown) => void = () => {},
  ) {
    this.realStart = realNow();
  }

  /** Where virtual time should be now. */
  target(): number {
    return this.start + this.offset + Math.round(this.realNow() - this.realStart);
  }

  /** Follows real time, moving every `periodMs` real ms (a tick is skipped while one runs). */
  follow(periodMs: number): void {
    this.timer ??= setInterval(() => {
      if (this.moving > 0) return;
      void this.move();
    }, periodMs);
  }

  /** Skips virtual time ahead by `ms` and resolves with the new virtual time once it is there. */
  advanceBy(ms: number): Promise<number> {
    if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new RangeError(`cannot advance by ${ms} ms`));
    this.offset += ms;
    return this.move();
  }

  private move(): Promise<number> {
    this.moving++;
    const next = this.chain.then(async () => {
      await this.stack.advanceTo(this.target());
      return this.stack.clock.now();
    });
    this.chain = next
      .catch((err: unknown) => this.onError(err))
      .finally(() => {
        this.moving--;
      });
    return next;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
