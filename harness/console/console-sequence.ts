import { REPORT_CSS } from '../evidence/report/report-styles.js';
import { sequenceDiagram } from '../evidence/report/sequence-diagram.js';
import type { ChainedTraceLine } from '../evidence/trace-chain.js';
import type { WatchEntry } from '../watch/watch-entry.js';

/** The evidence report's diagram rules, so a diagram looks the same in the console as in report.html. */
export const SEQUENCE_CSS = REPORT_CSS.split('\n')
  .filter((line) => line.startsWith('svg'))
  .join('\n');

/** One SR's messages as the evidence report draws them (inline SVG, escaped, no script). */
export function sequenceOfRequest(
  requestId: string,
  entries: readonly WatchEntry[],
  virtualStart: string,
): string {
  const lines: ChainedTraceLine[] = entries.map((e, i) => ({
    index: i + 1,
    prev: '',
    scenario: requestId,
    seq: e.seq,
    at: e.at,
    from: e.from,
    fromName: e.fromName,
    to: e.to,
    toName: e.toName,
    kind: e.kind,
    summary: e.summary,
    ...(e.code === undefined ? {} : { detail: { responseCode: e.code } }),
  }));
  // The id names the SVG's arrow marker: keep it to characters an XML id allows.
  const id = `sr-${requestId.replace(/[^A-Za-z0-9]/g, '')}`;
  return sequenceDiagram({ id, virtualStart, steps: [] }, lines);
}
