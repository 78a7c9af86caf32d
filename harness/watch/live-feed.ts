import type { MessageTrace } from '../../simulator/trace/index.js';
import { type WatchEntry, WatchEntryMaker } from './watch-entry.js';

/** How many recent messages a feed keeps for late joiners (the console's first page, diagrams). */
const KEPT = 5_000;

export type WatchListener = (entries: readonly WatchEntry[]) => void;

/**
 * The stack's trace as a stream of watch entries. It hears that the trace grew, and on the next
 * turn of the event loop describes what is new — so a burst of messages becomes one batch, and
 * the DCC's handling never waits for a listener.
 */
export class LiveFeed {
  private readonly maker: WatchEntryMaker;
  /** Each listener with its name and how often it has failed. */
  private readonly listeners = new Map<WatchListener, { readonly name: string; failures: number }>();
  private readonly kept: WatchEntry[] = [];
  private seen = 0;
  private scheduled = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly trace: MessageTrace,
    names: Readonly<Record<string, string>>,
  ) {
    this.maker = new WatchEntryMaker(names);
    this.unsubscribe = trace.onAdd(() => this.schedule());
    this.flush();
  }

  /**
   * Calls `listener` with every later batch; returns the function that stops it. `name` is how
   * the trace names it if it fails (`the console`, `the watch stream`).
   */
  subscribe(listener: WatchListener, name = 'a watch listener'): () => void {
    this.listeners.set(listener, { name, failures: 0 });
    return () => this.listeners.delete(listener);
  }

  /** How often each listener has failed, by name (for tests and the stop line). */
  failures(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const { name, failures } of this.listeners.values()) out[name] = (out[name] ?? 0) + failures;
    return out;
  }

  /** The most recent messages, oldest first. */
  recent(): readonly WatchEntry[] {
    this.flush();
    return this.kept;
  }

  /** The kept messages of one SR, in order. */
  ofRequest(requestId: string): WatchEntry[] {
    return this.recent().filter((e) => e.requestId === requestId);
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  /** Describes and hands out what the trace gained since the last flush. */
  flush(): void {
    const fresh = this.trace.since(this.seen);
    if (fresh.length === 0) return;
    this.seen += fresh.length;
    const batch = fresh.map((entry) => this.maker.make(entry));
    this.kept.push(...batch);
    if (this.kept.length > KEPT) this.kept.splice(0, this.kept.length - KEPT);
    for (const [listener, record] of this.listeners) {
      try {
        listener(batch);
      } catch (err) {
        // A broken viewer must not stop the others or the stack, nor fail unseen.
        record.failures++;
        this.recordFailure(record, err, fresh.at(-1)?.at ?? 0);
      }
    }
  }

  /**
   * Puts a listener's failure into the trace: the first, then the 10th, 100th, … (with the
   * count), so a listener that fails on every batch — the notice itself makes a batch — cannot
   * grow the trace without bound or loop.
   */
  private recordFailure(record: { readonly name: string; failures: number }, err: unknown, at: number): void {
    const n = record.failures;
    if (n !== 1 && !/^10+$/.test(String(n))) return;
    this.trace.add({
      at,
      from: 'watch',
      to: 'watch',
      kind: 'notice',
      summary: `${record.name} failed${n === 1 ? '' : ` ${n} times`}: ${err instanceof Error ? err.message : String(err)} (it still gets later messages)`,
      detail: { code: 'WATCH_LISTENER_FAILED', listener: record.name, failures: n },
    });
  }
}
