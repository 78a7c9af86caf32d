import type { MessageTrace } from '../../simulator/trace/message-trace.js';
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
  private readonly listeners = new Set<WatchListener>();
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

  /** Calls `listener` with every later batch; returns the function that stops it. */
  subscribe(listener: WatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
    for (const listener of this.listeners) {
      try {
        listener(batch);
      } catch (err) {
        // A broken viewer must not stop the others or the stack.
        process.emitWarning(`a watch listener failed: ${String(err)}`);
      }
    }
  }
}
