import { type ByteReader, hex2 } from '../../apdu/byte-reader.js';
import { encodeDerLength } from '../../apdu/der-length.js';
import { GbcsEncodeError } from '../../apdu/gbcs-codec-error.js';

/**
 * DLMS Data in A-XDR, the subset GBCS uses (GBCS.md §6.1): a type tag then the value; lengths
 * and element counts DER-style. Each decoded value re-encodes to the same bytes.
 */
export type DlmsData =
  | { readonly type: 'null-data' }
  | { readonly type: 'array'; readonly elements: readonly DlmsData[] }
  | { readonly type: 'structure'; readonly elements: readonly DlmsData[] }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'bit-string'; readonly bitCount: number; readonly bytes: Uint8Array }
  | { readonly type: 'double-long'; readonly value: number }
  | { readonly type: 'double-long-unsigned'; readonly value: number }
  | { readonly type: 'octet-string'; readonly value: Uint8Array }
  | { readonly type: 'visible-string'; readonly value: string }
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'long'; readonly value: number }
  | { readonly type: 'unsigned'; readonly value: number }
  | { readonly type: 'long-unsigned'; readonly value: number }
  | { readonly type: 'long64'; readonly value: bigint }
  | { readonly type: 'long64-unsigned'; readonly value: bigint }
  | { readonly type: 'enum'; readonly value: number }
  | {
      readonly type: 'compact-array';
      readonly description: TypeDescription;
      /** Each element decoded by the description (values carry no tags on the wire). */
      readonly elements: readonly DlmsData[];
    };

/** A compact-array's type description: a simple type, a structure of descriptions, or a fixed-size array. */
export type TypeDescription =
  | { readonly type: SimpleType }
  | { readonly type: 'structure'; readonly elements: readonly TypeDescription[] }
  | { readonly type: 'array'; readonly count: number; readonly element: TypeDescription };

export type SimpleType = Exclude<DlmsData['type'], 'array' | 'structure' | 'compact-array'>;

export const DLMS_TAG = {
  'null-data': 0x00,
  array: 0x01,
  structure: 0x02,
  boolean: 0x03,
  'bit-string': 0x04,
  'double-long': 0x05,
  'double-long-unsigned': 0x06,
  'octet-string': 0x09,
  'visible-string': 0x0a,
  integer: 0x0f,
  long: 0x10,
  unsigned: 0x11,
  'long-unsigned': 0x12,
  'compact-array': 0x13,
  long64: 0x14,
  'long64-unsigned': 0x15,
  enum: 0x16,
} as const satisfies Record<DlmsData['type'], number>;

const TYPE_BY_TAG = new Map<number, DlmsData['type']>(
  Object.entries(DLMS_TAG).map(([type, tag]) => [tag, type as DlmsData['type']]),
);

export function encodeDlmsData(data: DlmsData): Uint8Array {
  const out: number[] = [];
  writeData(out, data, true);
  return Uint8Array.from(out);
}

function writeData(out: number[], data: DlmsData, tagged: boolean): void {
  const tag = DLMS_TAG[data.type];
  if (tag === undefined) throw new GbcsEncodeError(`not a DLMS data type: ${JSON.stringify(data.type)}`);
  if (tagged) out.push(tag);
  switch (data.type) {
    case 'null-data':
      return;
    case 'array':
    case 'structure':
      push(out, encodeDerLength(data.elements.length));
      for (const element of data.elements) writeData(out, element, true);
      return;
    case 'compact-array': {
      writeDescription(out, data.description);
      const contents: number[] = [];
      for (const element of data.elements) writePacked(contents, data.description, element);
      push(out, encodeDerLength(contents.length));
      push(out, contents);
      return;
    }
    default:
      writeSimple(out, data);
  }
}

function writeSimple(out: number[], data: DlmsData): void {
  switch (data.type) {
    case 'boolean':
      out.push(data.value ? 0xff : 0x00);
      return;
    case 'bit-string':
      if (data.bytes.length !== Math.ceil(data.bitCount / 8)) {
        throw new GbcsEncodeError(
          `bit-string of ${data.bitCount} bits needs ${Math.ceil(data.bitCount / 8)} bytes`,
        );
      }
      push(out, encodeDerLength(data.bitCount));
      push(out, data.bytes);
      return;
    case 'octet-string':
      push(out, encodeDerLength(data.value.length));
      push(out, data.value);
      return;
    case 'visible-string': {
      const bytes = Buffer.from(data.value, 'latin1');
      push(out, encodeDerLength(bytes.length));
      push(out, bytes);
      return;
    }
    case 'double-long':
      pushInt(out, data.value, 4, true, data.type);
      return;
    case 'double-long-unsigned':
      pushInt(out, data.value, 4, false, data.type);
      return;
    case 'integer':
      pushInt(out, data.value, 1, true, data.type);
      return;
    case 'long':
      pushInt(out, data.value, 2, true, data.type);
      return;
    case 'unsigned':
    case 'enum':
      pushInt(out, data.value, 1, false, data.type);
      return;
    case 'long-unsigned':
      pushInt(out, data.value, 2, false, data.type);
      return;
    case 'long64':
    case 'long64-unsigned': {
      const fits =
        typeof data.value === 'bigint' &&
        (data.type === 'long64' ? BigInt.asIntN(64, data.value) : BigInt.asUintN(64, data.value)) ===
          data.value;
      if (!fits) throw new GbcsEncodeError(`${data.type} out of range: ${String(data.value)}`);
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, data.value));
      push(out, bytes);
      return;
    }
    default:
      throw new GbcsEncodeError(`${data.type} is not a simple type`);
  }
}

function writeDescription(out: number[], description: TypeDescription): void {
  out.push(DLMS_TAG[description.type]);
  if (description.type === 'structure') {
    push(out, encodeDerLength(description.elements.length));
    for (const element of description.elements) writeDescription(out, element);
  } else if (description.type === 'array') {
    pushInt(out, description.count, 2, false, 'array type description count');
    writeDescription(out, description.element);
  }
}

function writePacked(out: number[], description: TypeDescription, data: DlmsData): void {
  if (description.type === 'structure' || description.type === 'array') {
    const count = description.type === 'structure' ? description.elements.length : description.count;
    if (data.type !== description.type || data.elements.length !== count) {
      throw new GbcsEncodeError(
        `compact-array element does not match its ${description.type} type description`,
      );
    }
    data.elements.forEach((element, i) => {
      writePacked(
        out,
        description.type === 'structure' ? (description.elements[i] as TypeDescription) : description.element,
        element,
      );
    });
    return;
  }
  if (data.type !== description.type) {
    throw new GbcsEncodeError(
      `compact-array element is ${data.type}, its description says ${description.type}`,
    );
  }
  writeData(out, data, false);
}

/** Reads one tagged Data value. */
export function readDlmsData(reader: ByteReader, field = 'data', depth = 0): DlmsData {
  const at = reader.offset;
  const tag = reader.byte(`${field} type tag`);
  const type = TYPE_BY_TAG.get(tag);
  if (type === undefined)
    reader.fail(`${field} type tag`, `0x${hex2(tag)} is not a DLMS data type GBCS uses`, at);
  return readValue(reader, type, field, depth);
}

const MAX_DEPTH = 32;

function readValue(reader: ByteReader, type: DlmsData['type'], field: string, depth: number): DlmsData {
  if (depth > MAX_DEPTH) reader.fail(field, `nested deeper than ${MAX_DEPTH} levels`);
  switch (type) {
    case 'array':
    case 'structure': {
      const count = reader.derLength(`${field} ${type} count`);
      const elements: DlmsData[] = [];
      for (let i = 0; i < count; i++) elements.push(readDlmsData(reader, `${field}[${i}]`, depth + 1));
      return { type, elements };
    }
    case 'compact-array': {
      const description = readDescription(reader, `${field} type description`, depth + 1);
      const length = reader.derLength(`${field} contents length`);
      const contentsAt = reader.offset;
      const end = reader.position + length;
      if (length > reader.remaining)
        reader.fail(`${field} contents`, `${length} bytes needed, only ${reader.remaining} left`);
      const elements: DlmsData[] = [];
      while (reader.position < end) {
        const before = reader.position;
        elements.push(readPacked(reader, description, `${field}[${elements.length}]`, depth + 1));
        if (reader.position === before)
          reader.fail(`${field} contents`, 'an element took no bytes', contentsAt);
      }
      if (reader.position !== end) {
        reader.fail(`${field} contents`, `elements overrun the ${length}-byte contents`, contentsAt);
      }
      return { type, description, elements };
    }
    default:
      return readSimple(reader, type, field);
  }
}

function readSimple(reader: ByteReader, type: SimpleType, field: string): DlmsData {
  switch (type) {
    case 'null-data':
      return { type };
    case 'boolean':
      return { type, value: reader.byte(field) !== 0 };
    case 'bit-string': {
      const bitCount = reader.derLength(`${field} bit count`);
      return { type, bitCount, bytes: Uint8Array.from(reader.take(Math.ceil(bitCount / 8), field)) };
    }
    case 'octet-string':
      return { type, value: Uint8Array.from(reader.take(reader.derLength(`${field} length`), field)) };
    case 'visible-string':
      return {
        type,
        value: Buffer.from(reader.take(reader.derLength(`${field} length`), field)).toString('latin1'),
      };
    case 'double-long':
      return { type, value: signed(reader.uint(4, field), 4) };
    case 'double-long-unsigned':
      return { type, value: reader.uint(4, field) };
    case 'integer':
      return { type, value: signed(reader.uint(1, field), 1) };
    case 'long':
      return { type, value: signed(reader.uint(2, field), 2) };
    case 'unsigned':
    case 'enum':
      return { type, value: reader.uint(1, field) };
    case 'long-unsigned':
      return { type, value: reader.uint(2, field) };
    case 'long64':
      return { type, value: BigInt.asIntN(64, reader.uint64(field)) };
    case 'long64-unsigned':
      return { type, value: reader.uint64(field) };
  }
}

function readDescription(reader: ByteReader, field: string, depth: number): TypeDescription {
  if (depth > MAX_DEPTH) reader.fail(field, `nested deeper than ${MAX_DEPTH} levels`);
  const at = reader.offset;
  const tag = reader.byte(field);
  const type = TYPE_BY_TAG.get(tag);
  if (type === undefined || type === 'compact-array') {
    reader.fail(field, `0x${hex2(tag)} is not a type a compact-array can hold`, at);
  }
  // Every element a description describes must take at least one byte of the contents, so
  // hostile bytes cannot make the reader build elements out of nothing (an endless loop, or
  // 65535 × 65535 empty elements): null-data, an empty structure and an empty array are refused.
  if (type === 'null-data')
    reader.fail(field, 'null-data takes no bytes; a compact-array cannot hold it', at);
  if (type === 'structure') {
    const count = reader.derLength(`${field} count`);
    if (count === 0)
      reader.fail(field, 'an empty structure takes no bytes; a compact-array cannot hold it', at);
    const elements: TypeDescription[] = [];
    for (let i = 0; i < count; i++) elements.push(readDescription(reader, field, depth + 1));
    return { type, elements };
  }
  if (type === 'array') {
    const count = reader.uint(2, `${field} count`);
    if (count === 0) reader.fail(field, 'an empty array takes no bytes; a compact-array cannot hold it', at);
    return { type, count, element: readDescription(reader, field, depth + 1) };
  }
  return { type };
}

function readPacked(
  reader: ByteReader,
  description: TypeDescription,
  field: string,
  depth: number,
): DlmsData {
  if (description.type === 'structure') {
    return {
      type: 'structure',
      elements: description.elements.map((element, i) =>
        readPacked(reader, element, `${field}[${i}]`, depth + 1),
      ),
    };
  }
  if (description.type === 'array') {
    const elements: DlmsData[] = [];
    for (let i = 0; i < description.count; i++)
      elements.push(readPacked(reader, description.element, `${field}[${i}]`, depth + 1));
    return { type: 'array', elements };
  }
  return readSimple(reader, description.type, field);
}

function signed(value: number, size: number): number {
  const limit = 2 ** (size * 8);
  return value >= limit / 2 ? value - limit : value;
}

function pushInt(out: number[], value: number, size: number, isSigned: boolean, name: string): void {
  const limit = 2 ** (size * 8);
  const min = isSigned ? -limit / 2 : 0;
  const max = isSigned ? limit / 2 - 1 : limit - 1;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new GbcsEncodeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
  let rest = value < 0 ? value + limit : value;
  const bytes: number[] = [];
  for (let i = 0; i < size; i++) {
    bytes.unshift(rest % 256);
    rest = Math.floor(rest / 256);
  }
  push(out, bytes);
}

function push(out: number[], bytes: ArrayLike<number>): void {
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i] as number);
}
