/**
 * Every message of a run, in the order the DCC saw it, decoded for people. The DCC sits on every
 * path (users ↔ DCC ↔ devices), so recording at the DCC gives one total order.
 */
export interface TraceEntry {
  readonly seq: number;
  /** Virtual time, ms. */
  readonly at: number;
  readonly from: string;
  readonly to: string;
  /** `serviceRequest`, `serviceResponse`, `dccAlert`, `gbcs`, `malformed` or `notice`. */
  readonly kind: string;
  readonly summary: string;
  readonly detail?: Record<string, unknown>;
}

/** An entry whose summary and detail are worked out only when somebody reads the trace. */
export type DeferredTraceEntry = Omit<TraceEntry, 'seq' | 'summary' | 'detail'> & {
  readonly describe: () => { summary: string; detail?: Record<string, unknown> };
};

/**
 * Where a MessageTrace keeps the entries it no longer holds in memory. A 10,000-device 18-month
 * trial traces some 500,000 messages (over 400 MB as trace.jsonl); held as objects for the whole
 * run they were most of its memory, while the run itself reads only the newest ones. Entries come
 * back exactly as they went in (the same keys in the same order, byte strings as byte strings),
 * so nothing that reads the trace can tell where they were kept.
 */
export interface TraceSpill {
  /** Keeps these described entries after the ones kept before. */
  append(entries: readonly TraceEntry[]): void;
  /** The kept entries at positions `from` (0-based, inclusive) to `to` (exclusive), in order, read afresh. */
  read(from: number, to: number): Iterable<TraceEntry>;
}

type HeldEntry = TraceEntry | (DeferredTraceEntry & { readonly seq: number });

/**
 * Entries held in memory before the oldest are handed to the spill, as one batch: a few MB of a
 * large trial's trace, and big enough that the spill writes seldom. A failure message's "messages
 * around it" and a live view's newest entries are almost always still held.
 */
export const SPILL_BATCH = 4096;

export class MessageTrace implements Iterable<TraceEntry> {
  /** The entries not spilled: `held[0]` is entry `spilled + 1`. */
  private held: HeldEntry[] = [];
  /** How many of the oldest entries are in the spill. */
  private spilled = 0;
  /** Entries of `held` before this index are all described. */
  private described = 0;
  /** Told that entries were added (not which: deferred entries stay undescribed until read). */
  private readonly listeners = new Set<() => void>();

  /**
   * With a `spill`, only the newest entries stay in memory (SPILL_BATCH to twice that); without
   * one, all of them, as a live stack (`trialsim up`) or a benchmark keeps them.
   */
  constructor(private readonly spill?: TraceSpill) {}

  add(entry: Omit<TraceEntry, 'seq'>): TraceEntry {
    const full = { seq: this.length + 1, ...entry };
    this.hold(full);
    return full;
  }

  /**
   * Calls `listener` after every addition, synchronously (a live view reads `since()` later);
   * returns the function that stops it. A run nobody watches has no listener and pays nothing.
   */
  onAdd(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The entries after `seq` (all with 0), described. */
  since(seq: number): readonly TraceEntry[] {
    return [...this.from(Math.max(0, seq))];
  }

  /**
   * Records a message now and describes it when the trace is read, or when it is spilled.
   * Describing decodes the message a second time (a GBCS payload inside an envelope): work for
   * the people reading the evidence, which a run that never reads its trace (a benchmark, a
   * fleet) need not do. The message must not change after it is recorded; wire messages are
   * decoded afresh and never are.
   */
  addDeferred(entry: DeferredTraceEntry): void {
    this.hold({ seq: this.length + 1, ...entry });
  }

  /** Every entry, described, as one array: for a trace known to be small (a test, a live stack). */
  all(): readonly TraceEntry[] {
    if (this.spilled === 0) {
      this.describeUpTo(this.held.length);
      return this.held as TraceEntry[];
    }
    return [...this];
  }

  /** Every entry in order, described, read from the spill where it is there: a trace of any size. */
  [Symbol.iterator](): Iterator<TraceEntry> {
    return this.from(0);
  }

  /** Entries around a point, for failure messages ("the messages around it"). */
  around(seq: number, before = 5, after = 5): readonly TraceEntry[] {
    return [...this.from(Math.max(0, seq - 1 - before), Math.min(this.length, seq + after))];
  }

  get length(): number {
    return this.spilled + this.held.length;
  }

  /**
   * The entries at positions `start` (0-based) up to `end` (exclusive; the newest with none), each
   * described only as it is reached. Positions, not array indices, so a spill made while a reader
   * waits between entries moves nothing under it.
   */
  private *from(start: number, end?: number): Generator<TraceEntry, void, undefined> {
    let position = start;
    while (position < (end ?? this.length)) {
      if (position < this.spilled && this.spill !== undefined) {
        for (const entry of this.spill.read(position, Math.min(this.spilled, end ?? this.spilled))) {
          yield entry;
          position++;
        }
        continue;
      }
      const index = position - this.spilled;
      this.describeUpTo(index + 1);
      yield this.held[index] as TraceEntry;
      position++;
    }
  }

  private hold(entry: HeldEntry): void {
    this.held.push(entry);
    if (this.spill !== undefined && this.held.length >= 2 * SPILL_BATCH) this.spillOldest();
    for (const listener of this.listeners) listener();
  }

  /** Hands the oldest SPILL_BATCH entries, described, to the spill; the newest stay. */
  private spillOldest(): void {
    this.describeUpTo(SPILL_BATCH);
    (this.spill as TraceSpill).append(this.held.slice(0, SPILL_BATCH) as TraceEntry[]);
    this.held = this.held.slice(SPILL_BATCH);
    this.spilled += SPILL_BATCH;
    this.described = Math.max(0, this.described - SPILL_BATCH);
  }

  private describeUpTo(end: number): void {
    for (let i = this.described; i < end; i++) {
      const entry = this.held[i] as HeldEntry;
      if (!('describe' in entry)) continue;
      const { describe, ...rest } = entry;
      const { summary, detail } = describe();
      this.held[i] = detail === undefined ? { ...rest, summary } : { ...rest, summary, detail };
    }
    this.described = Math.max(this.described, end);
  }
}
