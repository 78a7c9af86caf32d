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

export class MessageTrace {
  private readonly entries: TraceEntry[] = [];

  add(entry: Omit<TraceEntry, 'seq'>): TraceEntry {
    const full = { seq: this.entries.length + 1, ...entry };
    this.entries.push(full);
    return full;
  }

  all(): readonly TraceEntry[] {
    return this.entries;
  }

  /** Entries around a point, for failure messages ("the messages around it"). */
  around(seq: number, before = 5, after = 5): readonly TraceEntry[] {
    return this.entries.slice(Math.max(0, seq - 1 - before), seq + after);
  }

  get length(): number {
    return this.entries.length;
  }
}
