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
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) > 0xffff_ffff ? BigInt(value) : value;
  }
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(normalise);
  // for…in, not Object.entries: every message passes here, and the pairs array was pure garbage.
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) continue;
    const member = source[key];
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
  let value: unknown;
  try {
    value = encoder.decode(bytes);
  } catch (cause) {
    throw new WireError(`${what}: not valid CBOR (${(cause as Error).message})`, { cause });
  }
  const depth = nestingDepth(value, MAX_NESTING_DEPTH);
  if (depth > MAX_NESTING_DEPTH) {
    throw new WireError(`${what}: nested deeper than ${MAX_NESTING_DEPTH} levels`);
  }
  return value;
}

/**
 * Deepest nesting of arrays and maps accepted. No trialsim message needs more than a few levels;
 * the limit keeps every later recursive walk of a message (re-encoding a body into a GBCS
 * command, tracing, writing evidence) far from the call-stack limit (test/unit/simulator/adapters/wire/fuzz-wire.test.ts).
 */
export const MAX_NESTING_DEPTH = 32;

/** Iterative, so a hostile message cannot overflow the stack here; stops counting past `limit`. */
function nestingDepth(root: unknown, limit: number): number {
  let deepest = 0;
  const values: unknown[] = [root];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() as number;
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    if (value instanceof Map) {
      for (const member of value.values()) {
        values.push(member);
        depths.push(level);
      }
    } else {
      const members = value as Record<string, unknown>;
      for (const key in members) {
        values.push(members[key]);
        depths.push(level);
      }
    }
  }
  return deepest;
}
