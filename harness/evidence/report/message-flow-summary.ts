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
  const typeOf = new Map(devices.map((d) => [d.id, d.deviceType]));
  const counts = new Map<string, number>();
  for (const d of devices) counts.set(d.deviceType, (counts.get(d.deviceType) ?? 0) + 1);
  const lane = (name: string) => {
    const type = typeOf.get(name);
    return type === undefined ? name : `${type} devices (${counts.get(type)})`;
  };
  const rows = new Map<
    string,
    { from: string; to: string; kind: string; n: number; first: string; last: string }
  >();
  for (const l of lines) {
    const from = lane(l.fromName);
    const to = lane(l.toName);
    const key = `${from}\u0000${to}\u0000${l.kind}`;
    const row = rows.get(key) ?? { from, to, kind: l.kind, n: 0, first: l.at, last: l.at };
    row.n++;
    row.last = l.at;
    rows.set(key, row);
  }
  const body = [...rows.values()]
    .map(
      (r) =>
        `<tr><td>${escapeXml(r.from)}</td><td>${escapeXml(r.to)}</td><td>${escapeXml(r.kind)}</td><td class="num">${r.n}</td><td class="time">${escapeXml(r.first)}</td><td class="time">${escapeXml(r.last)}</td></tr>`,
    )
    .join('');
  return `<p class="muted">${devices.length} devices exchanged ${lines.length} messages: too many to draw legibly, so they are summarised by device type. Every message is in trace.jsonl.</p>
<table class="grid-table flow-summary"><thead><tr><th>From</th><th>To</th><th>Kind</th><th>Messages</th><th>First (virtual)</th><th>Last (virtual)</th></tr></thead><tbody>${body}</tbody></table>`;
}
