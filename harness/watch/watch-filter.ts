import type { WatchEntry } from './watch-entry.js';

/** Which messages to show: every list given must match (values within a list are alternatives). */
export interface WatchFilter {
  /** Party names or EUIs: the message is from or to one of them. */
  readonly parties?: readonly string[];
  /** Device ids or EUIs: the message is to, from or about one of them. */
  readonly devices?: readonly string[];
  /** SRVs: the message belongs to an SR of one of them. */
  readonly srvs?: readonly string[];
}

const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();
const anyOf = (wanted: readonly string[] | undefined, values: readonly (string | undefined)[]) =>
  wanted === undefined ||
  wanted.length === 0 ||
  wanted.some((w) => values.some((v) => v !== undefined && same(w, v)));

export function matchesWatchFilter(e: WatchEntry, filter: WatchFilter): boolean {
  return (
    anyOf(filter.parties, [e.from, e.fromName, e.to, e.toName]) &&
    anyOf(filter.devices, [e.from, e.fromName, e.to, e.toName, e.device]) &&
    anyOf(filter.srvs, [e.srv])
  );
}

/**
 * What `trialsim up` logs as SRs flow: each request and each response to it (I99, the CV 4
 * Pre-Command, the outcome) and device alerts about an SR, so every SR shows how it ended.
 */
export function isSrLogEntry(e: WatchEntry): boolean {
  return (
    e.kind === 'serviceRequest' ||
    e.kind === 'serviceResponse' ||
    (e.kind === 'dccAlert' && e.requestId !== undefined)
  );
}
