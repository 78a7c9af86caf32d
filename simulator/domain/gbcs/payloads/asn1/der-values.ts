import * as asn1js from 'asn1js';
import { ByteReader } from '../../apdu/byte-reader.js';
import { GbcsDecodeError, GbcsEncodeError } from '../../apdu/gbcs-codec-error.js';

/**
 * The ASN.1 DER payloads of GBCS (GBCS.md §6.2), through asn1js rather than hand-written DER.
 * Decoding is strict: the bytes must be one DER value with nothing after it, and asn1js's
 * re-encoding of what it read must give the same bytes — so a BER-only form (long lengths,
 * non-minimal INTEGERs) is refused, as a DER verifier would.
 */
export type DerNode = asn1js.AsnType;

export class DerReader {
  constructor(
    readonly useCase: string,
    readonly contentOffset = 0,
  ) {}

  fail(what: string, reason: string): never {
    throw new GbcsDecodeError(this.contentOffset, `${this.useCase} payload`, `${what}: ${reason}`);
  }

  /** `allowLongFormLengths`: accept non-minimal long-form lengths (CS02b responses, GBCS.md §7.8). */
  parse(content: Uint8Array, allowLongFormLengths = false): DerNode {
    checkDerForm(content, this.contentOffset, `${this.useCase} payload`, allowLongFormLengths);
    let result: ReturnType<typeof asn1js.fromBER>;
    try {
      result = asn1js.fromBER(Uint8Array.from(content));
    } catch (error) {
      // asn1js throws (rather than reporting) on some malformed primitive values, e.g. a
      // GeneralizedTime whose text is not a time: still a decode error at this payload.
      this.fail('DER', error instanceof Error ? error.message : String(error));
    }
    if (result.offset === -1) this.fail('DER', result.result.error || 'not a DER value');
    return result.result;
  }

  sequence(node: DerNode | undefined, what: string, min: number, max = min): DerNode[] {
    if (!(node instanceof asn1js.Sequence)) this.fail(what, `expected a SEQUENCE, got ${describe(node)}`);
    const items = node.valueBlock.value;
    if (items.length < min || items.length > max) {
      this.fail(what, `expected ${min === max ? min : `${min} to ${max}`} elements, got ${items.length}`);
    }
    return items;
  }

  integer(node: DerNode | undefined, what: string): bigint {
    if (!(node instanceof asn1js.Integer)) this.fail(what, `expected an INTEGER, got ${describe(node)}`);
    return node.toBigInt();
  }

  smallInteger(node: DerNode | undefined, what: string): number {
    const value = this.integer(node, what);
    if (value < -(2n ** 31n) || value > 2n ** 32n) this.fail(what, `${value} is out of range`);
    return Number(value);
  }

  octets(node: DerNode | undefined, what: string, length?: number): Uint8Array {
    if (!(node instanceof asn1js.OctetString) || node.idBlock.isConstructed) {
      this.fail(what, `expected a primitive OCTET STRING, got ${describe(node)}`);
    }
    const bytes = Uint8Array.from(node.valueBlock.valueHexView);
    if (length !== undefined && bytes.length !== length)
      this.fail(what, `expected ${length} bytes, got ${bytes.length}`);
    return bytes;
  }

  generalizedTime(node: DerNode | undefined, what: string): Date {
    if (!(node instanceof asn1js.GeneralizedTime))
      this.fail(what, `expected a GeneralizedTime, got ${describe(node)}`);
    const text = Buffer.from(node.toBER()).subarray(2).toString('latin1');
    const date = parseGeneralizedTime(text);
    if (date === undefined) this.fail(what, `"${text}" is not YYYYMMDDhhmmssZ`);
    return date;
  }

  isNull(node: DerNode | undefined): boolean {
    return node instanceof asn1js.Null;
  }
}

/**
 * The DER rules asn1js does not enforce on reading, checked TLV by TLV so the error names the
 * offending byte: definite, shortest-form lengths; minimal INTEGERs; one value, nothing after.
 * Only validation: encoding is asn1js's.
 */
function checkDerForm(bytes: Uint8Array, base: number, field: string, allowLongForm: boolean): void {
  const reader: ByteReader = new ByteReader(bytes, base);
  readTlv(reader, field, 0, allowLongForm);
  reader.end(field);
}

function readTlv(reader: ByteReader, field: string, depth: number, allowLongForm: boolean): void {
  if (depth > 32) reader.fail(field, 'nested deeper than 32 levels');
  const tagAt = reader.offset;
  const tag = reader.byte(`${field} tag`);
  if ((tag & 0x1f) === 0x1f) reader.fail(`${field} tag`, 'high tag numbers are not used in GBCS', tagAt);
  const length = reader.derLength(`${field} length`, allowLongForm);
  if (length > reader.remaining)
    reader.fail(`${field} value`, `${length} bytes needed, only ${reader.remaining} left`);
  const valueAt = reader.offset;
  if (tag === 0x02) {
    const value = reader.take(length, `${field} INTEGER`);
    const [first, second] = value;
    if (first === undefined) reader.fail(`${field} INTEGER`, 'an INTEGER has at least one byte', valueAt);
    if (second !== undefined && ((first === 0 && second < 0x80) || (first === 0xff && second >= 0x80))) {
      reader.fail(`${field} INTEGER`, "not in its minimal two's complement form", valueAt);
    }
    return;
  }
  if ((tag & 0x20) === 0) {
    reader.take(length, `${field} value`);
    return;
  }
  const end = reader.position + length;
  while (reader.position < end) readTlv(reader, field, depth + 1, allowLongForm);
  if (reader.position !== end) reader.fail(field, 'an element runs past its enclosing length', valueAt);
}

function describe(node: DerNode | undefined): string {
  return node === undefined ? 'nothing' : node.constructor.name;
}

export function derInteger(value: number | bigint): asn1js.Integer {
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    throw new GbcsEncodeError(`not an integer: ${value}`);
  return asn1js.Integer.fromBigInt(BigInt(value));
}

export function derOctets(bytes: Uint8Array): asn1js.OctetString {
  return new asn1js.OctetString({ valueHex: Uint8Array.from(bytes) });
}

/** GBCS writes GeneralizedTime as 15 characters, YYYYMMDDhhmmssZ (GBCS.md §6.2). */
export function derGeneralizedTime(date: Date): asn1js.GeneralizedTime {
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999 || date.getUTCFullYear() < 0) {
    throw new GbcsEncodeError('GeneralizedTime needs a date in years 0000-9999');
  }
  const text = date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:T]/g, '');
  return new asn1js.GeneralizedTime({ value: text });
}

export function derSequence(...items: asn1js.AsnType[]): asn1js.Sequence {
  return new asn1js.Sequence({ value: items });
}

export function derBytes(node: asn1js.AsnType): Uint8Array {
  return new Uint8Array(node.toBER());
}

export const DER_NULL = (): asn1js.Null => new asn1js.Null();

export function parseGeneralizedTime(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60
    ? date
    : undefined;
}

/**
 * The cancellation of a held future-dated command: the future-dated form at 9999-12-31T23:59:59Z
 * (GBCS.md §7.7, for CS06; CS02b follows the same rule, §11). Every side compares against this
 * one instant: the DCC, the device, the DUIS mapping.
 */
export const GBCS_CANCELLATION_AT = Date.UTC(9999, 11, 31, 23, 59, 59);
export const GBCS_CANCELLATION_TIME = new Date(GBCS_CANCELLATION_AT);
