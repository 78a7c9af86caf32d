import { decodeCbor, encodeCbor } from '../wire/cbor-codec.js';

/**
 * DUIS has no field for why the DCC decided as it did (trialsim's `rule` and `reason`) nor for
 * the detail of trialsim's own result bodies (DUIS.md §6: "log them beside the XML"). trialsim
 * sends them beside the XML, in this HTTP header, so its own User agents, checks and evidence can
 * cite them; a DUIS client (a DCC Boxed client) ignores an unknown header. Never needed to read
 * the DUIS message itself.
 */
export const OUTCOME_HEADER = 'x-trialsim-outcome';

/** Node's HTTP parser refuses headers past 16 KiB; the body is left out of a header that large. */
const MAX_HEADER_CHARS = 12 * 1024;

export interface TrialsimOutcome {
  readonly rule?: string;
  readonly reason?: string;
  readonly body?: Record<string, unknown>;
  /** True when the body was too large for the header and was left out. */
  readonly bodyOmitted?: boolean;
}

export function encodeOutcomeHeader(outcome: TrialsimOutcome): string {
  const full = Buffer.from(encodeCbor(outcome)).toString('base64url');
  if (full.length <= MAX_HEADER_CHARS) return full;
  const { body: _dropped, ...rest } = outcome;
  return Buffer.from(encodeCbor({ ...rest, bodyOmitted: true })).toString('base64url');
}

/** Reads the header; anything unreadable reads as no outcome (the XML is what counts). */
export function decodeOutcomeHeader(value: string | string[] | undefined): TrialsimOutcome {
  if (typeof value !== 'string' || value.length === 0) return {};
  try {
    const decoded = decodeCbor(new Uint8Array(Buffer.from(value, 'base64url')), 'trialsim outcome header');
    return decoded !== null && typeof decoded === 'object' ? (decoded as TrialsimOutcome) : {};
  } catch {
    return {};
  }
}
