/**
 * Just enough DER to write and read the SMKI-specific parts of a certificate that
 * @peculiar/x509 has no builder for (a BIT STRING x500UniqueIdentifier, the hardwareModuleName
 * otherName). Definite lengths only, tags below 31 only: that is all X.509 needs here.
 */

export const DER_TAG = Object.freeze({
  bitString: 0x03,
  octetString: 0x04,
  objectIdentifier: 0x06,
  utf8String: 0x0c,
  sequence: 0x30,
  set: 0x31,
});

/** Context-specific tag `[n]`, constructed (EXPLICIT tagging and constructed IMPLICIT types). */
export function contextTag(n: number): number {
  return 0xa0 | n;
}

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  const length = encodeLength(content.length);
  const out = new Uint8Array(1 + length.length + content.length);
  out[0] = tag;
  out.set(length, 1);
  out.set(content, 1 + length.length);
  return out;
}

export function derConcat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function derSequence(...items: Uint8Array[]): Uint8Array {
  return derTlv(DER_TAG.sequence, derConcat(items));
}

export function derSet(...items: Uint8Array[]): Uint8Array {
  return derTlv(DER_TAG.set, derConcat(items));
}

/** Arcs may exceed 2^53 (UUID-based `2.25.…` OIDs), so they are handled as bigint. */
export function derObjectIdentifier(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2n || (first < 2n && second > 39n)) {
    throw new RangeError(`not an object identifier: "${dotted}"`);
  }
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const groups = [Number(arc & 0x7fn)];
    for (let value = arc >> 7n; value > 0n; value >>= 7n) groups.unshift(Number(value & 0x7fn) | 0x80);
    bytes.push(...groups);
  }
  return derTlv(DER_TAG.objectIdentifier, Uint8Array.from(bytes));
}

export function derOctetString(bytes: Uint8Array): Uint8Array {
  return derTlv(DER_TAG.octetString, bytes);
}

/** A BIT STRING of whole bytes (no unused bits). */
export function derBitString(bytes: Uint8Array): Uint8Array {
  return derTlv(DER_TAG.bitString, derConcat([Uint8Array.of(0), bytes]));
}

export function derUtf8String(text: string): Uint8Array {
  return derTlv(DER_TAG.utf8String, new TextEncoder().encode(text));
}

/** One decoded element: its tag, its content octets, and where the next element starts. */
export interface DerElement {
  readonly tag: number;
  readonly content: Uint8Array;
  readonly end: number;
}

/** Reads the element at `offset`; throws RangeError on truncated or non-DER lengths. */
export function readDer(bytes: Uint8Array, offset = 0): DerElement {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) throw new RangeError(`DER: truncated header at ${offset}`);
  if ((tag & 0x1f) === 0x1f) throw new RangeError(`DER: multi-byte tags are not supported (at ${offset})`);
  let length = first;
  let start = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new RangeError(`DER: unsupported length form at ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = bytes[start + i];
      if (byte === undefined) throw new RangeError(`DER: truncated length at ${offset}`);
      length = length * 256 + byte;
    }
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new RangeError(`DER: element at ${offset} overruns its input`);
  return { tag, content: bytes.subarray(start, end), end };
}

/** The elements inside a constructed element's content, in order. */
export function readDerChildren(content: Uint8Array): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < content.length; ) {
    const child = readDer(content, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

export function decodeObjectIdentifier(content: Uint8Array): string {
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    }
  }
  const [combined, ...rest] = arcs;
  if (combined === undefined) throw new RangeError('DER: empty object identifier');
  const first = combined < 80n ? combined / 40n : 2n;
  return [first, combined - first * 40n, ...rest].join('.');
}
