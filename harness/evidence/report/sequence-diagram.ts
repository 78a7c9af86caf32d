import type { StepResult } from '../../results/result-types.js';
import type { ReportTraceLine } from '../trace-chain.js';
import { escapeXml } from '../xml-text.js';

/**
 * A sequence diagram of one scenario's messages as inline SVG: a lifeline per party (DCC Users
 * left, the DCC in the middle, devices right), one arrow per trace entry in trace order, and a
 * divider where each step's messages begin. Pure string building: no script, no external assets.
 */
const COLUMN = 170;
const ROW = 22;
const LEFT = 120;
const TOP = 46;
const CHAR = 6.1;
export const MAX_DIAGRAM_MESSAGES = 400;

const KIND_CLASS: Readonly<Record<string, string>> = {
  serviceRequest: 'm-sr',
  serviceResponse: 'm-resp',
  dccAlert: 'm-alert',
  gbcs: 'm-gbcs',
  notice: 'm-notice',
  malformed: 'm-bad',
};

function participants(lines: readonly ReportTraceLine[]): string[] {
  const devices = new Set<string>();
  const users = new Set<string>();
  for (const l of lines) {
    if (l.kind === 'gbcs') {
      for (const n of [l.fromName, l.toName]) if (n !== 'DCC') devices.add(n);
    }
  }
  for (const l of lines) {
    for (const n of [l.fromName, l.toName]) if (n !== 'DCC' && n !== '-' && !devices.has(n)) users.add(n);
  }
  return [...users, 'DCC', ...devices];
}

const EUI = '[0-9A-F]{2}(?:-[0-9A-F]{2}){7}';
const REQUEST_ID = new RegExp(`${EUI}:${EUI}:(\\d+)`, 'g');
const ROUTE = new RegExp(` ${EUI} → ${EUI}| for ${EUI}$`, 'g');

/** The arrow already shows who and whom: labels drop EUIs and keep the request counter. */
function label(summary: string): string {
  return summary.replace(REQUEST_ID, 'req #$1').replace(ROUTE, '');
}

function clip(text: string, width: number): string {
  const max = Math.max(8, Math.floor(width / CHAR));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function clock(iso: string, start: string): string {
  const days = Math.floor((Date.parse(iso) - Date.parse(start.slice(0, 10))) / 86_400_000);
  return `${days > 0 ? `d+${days} ` : ''}${iso.slice(11, 19)}`;
}

export function sequenceDiagram(
  scenario: { readonly id: string; readonly virtualStart: string; readonly steps: readonly StepResult[] },
  allLines: readonly ReportTraceLine[],
  /** How many messages there were, when `allLines` holds only the first MAX_DIAGRAM_MESSAGES. */
  total = allLines.length,
): string {
  if (total === 0) return '<p class="muted">No messages were exchanged.</p>';
  const lines = allLines.slice(0, MAX_DIAGRAM_MESSAGES);
  const names = participants(lines);
  const x = (name: string) => LEFT + COLUMN / 2 + Math.max(0, names.indexOf(name)) * COLUMN;
  const stepAt = new Map<number, StepResult>();
  for (const step of scenario.steps) {
    const [first, last] = step.traceRange;
    if (last >= first && !stepAt.has(first)) stepAt.set(first, step);
  }
  const rows: string[] = [];
  let y = TOP + 10;
  for (const l of lines) {
    const step = stepAt.get(l.seq);
    if (step !== undefined) {
      y += 6;
      rows.push(
        `<line class="step-rule" x1="4" x2="${LEFT + names.length * COLUMN}" y1="${y}" y2="${y}"/>`,
        `<text class="step-label${step.verdict === 'failed' || step.verdict === 'error' ? ' step-bad' : ''}" x="6" y="${y + 12}">step ${step.index + 1}: ${escapeXml(clip(step.title, LEFT + names.length * COLUMN - 20))}${step.verdict === 'passed' ? '' : ` — ${step.verdict.toUpperCase()}`}</text>`,
      );
      y += ROW;
    }
    const x1 = x(l.fromName);
    const x2 = x(l.toName);
    const cls = `${KIND_CLASS[l.kind] ?? 'm-notice'}${l.kind === 'serviceResponse' && /^E|^[0-9]/.test(String((l.detail as { responseCode?: string } | undefined)?.responseCode ?? 'I')) ? ' m-error' : ''}`;
    const tip = `<title>#${l.seq} ${escapeXml(l.at)} ${escapeXml(l.fromName)} → ${escapeXml(l.toName)}: ${escapeXml(l.summary)}</title>`;
    rows.push(
      `<text class="seq" x="4" y="${y + 4}">#${l.seq} ${escapeXml(clock(l.at, scenario.virtualStart))}</text>`,
    );
    if (x1 === x2) {
      // A party noting something to itself (DCC notices): a small loop to the right.
      rows.push(
        `<g class="${cls}">${tip}<path d="M${x1} ${y - 4} h24 v10 h-24" fill="none" marker-end="url(#arrow-${escapeXml(scenario.id)})"/>`,
        `<text x="${x1 + 30}" y="${y + 4}">${escapeXml(clip(label(l.summary), COLUMN * 1.6))}</text></g>`,
      );
    } else {
      const mid = (x1 + x2) / 2;
      rows.push(
        `<g class="${cls}">${tip}<line x1="${x1}" y1="${y + 6}" x2="${x2 + (x2 > x1 ? -3 : 3)}" y2="${y + 6}" marker-end="url(#arrow-${escapeXml(scenario.id)})"/>`,
        `<text x="${mid}" y="${y + 1}" text-anchor="middle">${escapeXml(clip(label(l.summary), Math.abs(x2 - x1) - 8))}</text></g>`,
      );
    }
    y += ROW;
  }
  const height = y + 10;
  const width = LEFT + names.length * COLUMN;
  const heads = names
    .map(
      (n) =>
        `<rect class="actor" x="${x(n) - COLUMN / 2 + 10}" y="6" width="${COLUMN - 20}" height="26" rx="4"/>` +
        `<text class="actor-name" x="${x(n)}" y="23" text-anchor="middle">${escapeXml(clip(n, COLUMN - 24))}</text>` +
        `<line class="lifeline" x1="${x(n)}" x2="${x(n)}" y1="32" y2="${height}"/>`,
    )
    .join('');
  const more =
    total > lines.length
      ? `<p class="muted">Showing the first ${lines.length} of ${total} messages; all are in trace.jsonl.</p>`
      : '';
  return (
    `<svg class="sequence" role="img" aria-label="Sequence diagram of ${escapeXml(scenario.id)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs><marker id="arrow-${escapeXml(scenario.id)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#444"/></marker></defs>` +
    `${heads}${rows.join('')}</svg>${more}`
  );
}
