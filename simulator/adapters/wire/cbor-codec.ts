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

/**
 * True when normalise(value) would give a copy equal to value: plain objects and arrays with no
 * `undefined` member and no whole number above 32 bits. Most messages are, and checking costs a
 * third of copying every level (#21).
 */
function isNormal(value: unknown): boolean {
  if (typeof value === 'number') return !(Number.isInteger(value) && Math.abs(value) > 0xffff_ffff);
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const member of value) if (!isNormal(member)) return false;
    return true;
  }
  // normalise turns anything else (a class instance, a Date, inherited members) into a plain copy.
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const source = value as Record<string, unknown>;
  for (const key in source) {
    if (!Object.hasOwn(source, key)) return false;
    const member = source[key];
    if (member === undefined || !isNormal(member)) return false;
  }
  return true;
}

export function encodeCbor(value: unknown): Uint8Array {
  return encoder.encode(isNormal(value) ? value : normalise(value));
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
  if (nestsDeeperThan(value, MAX_NESTING_DEPTH)) {
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

/**
 * Whether `value` nests more than `limit` arrays or maps deep. Recursive but bounded: it never
 * goes more than `limit` + 1 calls deep, so a hostile message cannot overflow the stack here;
 * cheaper than the explicit stacks it replaced, which every message paid for (#21).
 */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return false;
  if (limit === 0) return true;
  if (value instanceof Map) {
    for (const member of value.values()) if (nestsDeeperThan(member, limit - 1)) return true;
    return false;
  }
  const members = value as Record<string, unknown>;
  for (const key in members) if (nestsDeeperThan(members[key], limit - 1)) return true;
  return false;
}
