import type { TestedDevice } from '../../results/scenario-evidence-types.js';
import type { ReportTraceLine } from '../trace-chain.js';
import { escapeXml } from '../xml-text.js';

/** More device lifelines than this make a sequence diagram illegible on A4: summarise instead. */
export const MAX_DRAWN_DEVICES = 8;

/**
 * A large fleet's message flow as a table: devices grouped by device type ("ESME devices (100)"),
 * one row per sender, receiver and message kind with its count and first and last virtual time.
 * Every message stays in trace.jsonl.
 */
export function messageFlowSummary(
  lines: readonly ReportTraceLine[],
  devices: readonly TestedDevice[],
): string {
  const summary = new FlowSummary(devices);
  for (const line of lines) summary.add(line);
  return summary.html();
}

/**
 * The summary gathered one line at a time (report-trace.ts), so a trace of millions of lines is
 * summarised as it streams by: what it keeps is one row per lane pair and kind.
 */
export class FlowSummary {
  private readonly typeOf: ReadonlyMap<string, string>;
  private readonly counts = new Map<string, number>();
  private readonly rows = new Map<
    string,
    { from: string; to: string; kind: string; n: number; first: string; last: string }
  >();
  private messages = 0;

  constructor(private readonly devices: readonly TestedDevice[]) {
    this.typeOf = new Map(devices.map((d) => [d.id, d.deviceType]));
    for (const d of devices) this.counts.set(d.deviceType, (this.counts.get(d.deviceType) ?? 0) + 1);
  }

  private lane(name: string): string {
    const type = this.typeOf.get(name);
    return type === undefined ? name : `${type} devices (${this.counts.get(type)})`;
  }

  add(l: ReportTraceLine): void {
    this.messages++;
    const from = this.lane(l.fromName);
    const to = this.lane(l.toName);
    const key = `${from}\u0000${to}\u0000${l.kind}`;
    const row = this.rows.get(key) ?? { from, to, kind: l.kind, n: 0, first: l.at, last: l.at };
    row.n++;
    row.last = l.at;
    this.rows.set(key, row);
  }

  html(): string {
    const body = [...this.rows.values()]
      .map(
        (r) =>
          `<tr><td>${escapeXml(r.from)}</td><td>${escapeXml(r.to)}</td><td>${escapeXml(r.kind)}</td><td class="num">${r.n}</td><td class="time">${escapeXml(r.first)}</td><td class="time">${escapeXml(r.last)}</td></tr>`,
      )
      .join('');
    return `<p class="muted">${this.devices.length} devices exchanged ${this.messages} messages: too many to draw legibly, so they are summarised by device type. Every message is in trace.jsonl.</p>
<table class="grid-table flow-summary"><thead><tr><th>From</th><th>To</th><th>Kind</th><th>Messages</th><th>First (virtual)</th><th>Last (virtual)</th></tr></thead><tbody>${body}</tbody></table>`;
  }
}
