import type { ScenarioTrace } from '../results/scenario-trace.js';
import { sha256Hex } from './digest.js';

/**
 * The prefix of a scenario's DUIS XML files in the bundle. A bundle holds plain files only (no
 * folders: `trialsim verify` refuses them), so `duis.<scenario>.` stands in for a folder.
 */
export const DUIS_PREFIX = 'duis';
/** Bundle file names are at most 128 characters of [A-Za-z0-9._-] (evidence-hand-over.ts). */
const MAX_NAME = 128;

/** One DUIS document as it went over HTTP, kept in the bundle. */
export interface DuisXmlFile {
  readonly file: string;
  /** `request` (User → DCC), `response` (the DCC's synchronous answer), `callback` (a later
   * response POSTed to the User), `alert` (a device or DCC alert POSTed to the User). */
  readonly kind: 'request' | 'response' | 'callback' | 'alert';
  /** The RequestID it belongs to; an alert has none and is named by its ResponseID. */
  readonly id: string;
  readonly traceSeq: number;
  readonly summary: string;
  readonly sha256: string;
  readonly bytes: number;
}

const TRACE_KINDS: Readonly<Record<string, true>> = {
  duisRequest: true,
  duisResponse: true,
  duisAlert: true,
};

function kindOf(entry: { kind: string; summary: string }): DuisXmlFile['kind'] {
  if (entry.kind === 'duisRequest') return 'request';
  if (entry.kind === 'duisAlert') return 'alert';
  return entry.summary.startsWith('callback') ? 'callback' : 'response';
}

/** The header ID an alert or response carries: RequestID where there is one, else ResponseID. */
function idOf(xml: string): string {
  return (
    /<sr:RequestID>([^<]+)<\/sr:RequestID>/.exec(xml)?.[1] ??
    /<sr:ResponseID>([^<]+)<\/sr:ResponseID>/.exec(xml)?.[1] ??
    'no-id'
  );
}

/**
 * The signed DUIS XML each User sent and received over HTTP in each scenario, byte for byte as
 * the endpoint recorded it in the trace, as files of the bundle: `duis.<scenario>.<ID>.<n>.<kind>.xml`
 * (the ID's EUIs without hyphens and `_` for `:`, as bundle names allow; n counts the documents of
 * one ID in order, so the CV 4 and CV 5 of a critical SR and its callback sort together), and
 * `duis.<scenario>.index.json` naming each file's RequestID, kind, trace entry and SHA-256. A
 * document too large for the trace (an 11.1 image over 64 KiB) is listed with the digest the
 * trace kept and no file, since its bytes were not kept.
 */
export function duisXmlFiles(traces: readonly ScenarioTrace[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const trace of traces) {
    const perId = new Map<string, number>();
    const index: (DuisXmlFile | (Omit<DuisXmlFile, 'file'> & { readonly notKept: string }))[] = [];
    for (const entry of trace.entries) {
      if (TRACE_KINDS[entry.kind] !== true) continue;
      const xml = entry.detail?.xml;
      if (typeof xml !== 'string') continue;
      const kind = kindOf(entry);
      const id = idOf(xml);
      const n = (perId.get(id) ?? 0) + 1;
      perId.set(id, n);
      const common = { kind, id, traceSeq: entry.seq, summary: entry.summary };
      if (entry.detail?.xmlLength !== undefined) {
        index.push({
          ...common,
          sha256: String(entry.detail.xmlSha256),
          bytes: Number(entry.detail.xmlLength),
          notKept: 'larger than the trace keeps (the trace holds its digest)',
        });
        continue;
      }
      const named = `${DUIS_PREFIX}.${trace.scenario}.${id.replaceAll('-', '').replaceAll(':', '_')}.${n}.${kind}.xml`;
      const file =
        named.length <= MAX_NAME ? named : `${DUIS_PREFIX}.${trace.scenario}.seq${entry.seq}.${kind}.xml`;
      files.set(file, xml);
      index.push({ file, ...common, sha256: sha256Hex(xml), bytes: Buffer.byteLength(xml) });
    }
    if (index.length > 0)
      files.set(`${DUIS_PREFIX}.${trace.scenario}.index.json`, `${JSON.stringify(index, null, 2)}\n`);
  }
  return files;
}
