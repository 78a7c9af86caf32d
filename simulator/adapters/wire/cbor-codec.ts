import { Encoder, type Options } from 'cbor-x';
import { WireError } from '../../errors.js';

/**
 * The CBOR settings every trialsim peer uses (PROTOCOL.md §2). Plain CBOR: maps with text keys,
 * byte strings untagged, no cbor-x record extension — so a device in C with any CBOR library
 * can read and write the same bytes.
 */
const encoder = new Encoder({
  useRecords: false,
  variableMapSize: true,
  tagUint8Array: false,
  mapsAsObjects: true,
  // Counters are uint64 on the wire but below 2^53 in trialsim; cbor-x's typings omit this option.
  int64AsNumber: true,
} as Options);

/** Largest message trialsim accepts from the wire (PROTOCOL.md §2). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * Normalises a value for the wire: drops `undefined` members (CBOR has an `undefined` value, but
 * peers should never see one) and writes whole numbers above 32 bits as CBOR integers — cbor-x
 * would otherwise write them as float64, which a C peer reading a uint64 counter would reject.
 */
function normalise(value: unknown): unknown {
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) > 0xffff_ffff) {
    return BigInt(value);
  }
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(normalise);
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) out[key] = normalise(member);
  }
  return out;
}

export function encodeCbor(value: unknown): Uint8Array {
  return encoder.encode(normalise(value));
}

export function decodeCbor(bytes: Uint8Array, what: string): unknown {
  if (bytes.length > MAX_MESSAGE_BYTES) {
    throw new WireError(`${what}: ${bytes.length} bytes is over the ${MAX_MESSAGE_BYTES}-byte limit`);
  }
  try {
    return encoder.decode(bytes);
  } catch (cause) {
    throw new WireError(`${what}: not valid CBOR (${(cause as Error).message})`, { cause });
  }
}
