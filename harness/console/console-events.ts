import type { ServerResponse } from 'node:http';
import type { LiveStack } from '../live/live-stack.js';
import type { WatchEntry } from '../watch/watch-entry.js';
import { formatWatchLine } from '../watch/watch-line.js';

/** Real ms between checks whether the stack's picture changed (the clock moves every tick). */
const STATE_PERIOD_MS = 300;
/** Messages a newly connected page gets at once. */
const FIRST_MESSAGES = 300;

/**
 * The console's Server-Sent Events: `messages` (batches of watch entries, as the trace grows),
 * `state` (the stack snapshot whenever it changed) and `outcome` (a sent SR's result). One
 * snapshot is made per period for all pages, and only sent when it differs from the last.
 */
export class ConsoleEvents {
  private readonly clients = new Set<ServerResponse>();
  private lastState = '';
  private readonly timer: NodeJS.Timeout;
  private readonly stopFeed: () => void;

  constructor(private readonly live: LiveStack) {
    this.stopFeed = live.feed.subscribe(
      (batch) => this.broadcast('messages', withLines(batch)),
      'the console',
    );
    this.timer = setInterval(() => this.refreshState(), STATE_PERIOD_MS);
  }

  /** Takes over an HTTP response as an event stream. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    send(res, 'state', this.live.snapshot());
    const recent: readonly WatchEntry[] = this.live.feed.recent();
    send(res, 'messages', withLines(recent.slice(-FIRST_MESSAGES)));
  }

  /** Sends the snapshot now if it changed (after an SR ends or the clock was moved by hand). */
  refreshState(): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify(this.live.snapshot());
    if (text === this.lastState) return;
    this.lastState = text;
    for (const res of this.clients) res.write(`event: state\ndata: ${text}\n\n`);
  }

  broadcast(event: string, data: unknown): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify(data);
    for (const res of this.clients) res.write(`event: ${event}\ndata: ${text}\n\n`);
  }

  close(): void {
    clearInterval(this.timer);
    this.stopFeed();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}

function send(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Entries with the line `trialsim watch` prints for them, so the page formats nothing itself. */
export function withLines(entries: readonly WatchEntry[]): (WatchEntry & { line: string })[] {
  return entries.map((e) => ({ ...e, line: formatWatchLine(e) }));
}
