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

export class MessageTrace {
  private readonly entries: (TraceEntry | (DeferredTraceEntry & { readonly seq: number }))[] = [];
  /** Entries before this index are all described. */
  private described = 0;
  /** Told that entries were added (not which: deferred entries stay undescribed until read). */
  private readonly listeners = new Set<() => void>();

  add(entry: Omit<TraceEntry, 'seq'>): TraceEntry {
    const full = { seq: this.entries.length + 1, ...entry };
    this.entries.push(full);
    this.notify();
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
    this.describeUpTo(this.entries.length);
    return (this.entries as TraceEntry[]).slice(Math.max(0, seq));
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * Records a message now and describes it when the trace is read. Describing decodes the
   * message a second time (a GBCS payload inside an envelope): work for the people reading the
   * evidence, which a run that never reads its trace (a benchmark, a fleet) need not do. The
   * message must not change after it is recorded; wire messages are decoded afresh and never are.
   */
  addDeferred(entry: DeferredTraceEntry): void {
    this.entries.push({ seq: this.entries.length + 1, ...entry });
    this.notify();
  }

  all(): readonly TraceEntry[] {
    this.describeUpTo(this.entries.length);
    return this.entries as TraceEntry[];
  }

  /** Entries around a point, for failure messages ("the messages around it"). */
  around(seq: number, before = 5, after = 5): readonly TraceEntry[] {
    const end = Math.min(this.entries.length, seq + after);
    this.describeUpTo(end);
    return (this.entries as TraceEntry[]).slice(Math.max(0, seq - 1 - before), end);
  }

  get length(): number {
    return this.entries.length;
  }

  private describeUpTo(end: number): void {
    for (let i = this.described; i < end; i++) {
      const entry = this.entries[i] as TraceEntry | (DeferredTraceEntry & { seq: number });
      if (!('describe' in entry)) continue;
      const { describe, ...rest } = entry;
      const { summary, detail } = describe();
      this.entries[i] = detail === undefined ? { ...rest, summary } : { ...rest, summary, detail };
    }
    this.described = Math.max(this.described, end);
  }
}
