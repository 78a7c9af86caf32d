import { ByteReader, hex2 } from './byte-reader.js';
import { derLengthSize, encodeDerLength } from './der-length.js';
import { GbcsEncodeError } from './gbcs-codec-error.js';
import { type DecodedGeneralSigning, GENERAL_SIGNING_TAG, readGeneralSigning } from './general-signing.js';

/**
 * The MAC header (DLMS general-ciphering, GBCS.md §2.2): `DD`, five empty octet strings, key-info
 * absent, the ciphered-content length, security header `11 00000000`, the general-signing APDU,
 * then the 12-byte MAC.
 */
export const GENERAL_CIPHERING_TAG = 0xdd;
export const MAC_LENGTH = 12;
/** Security control `11` (suite 1, authenticated only) and invocation counter 0. */
export const SECURITY_HEADER: Readonly<Uint8Array> = Uint8Array.of(0x11, 0, 0, 0, 0);
const FIXED_PREFIX = Uint8Array.of(GENERAL_CIPHERING_TAG, 0, 0, 0, 0, 0, 0);

/** Where the parts of a MAC-headed message go, in the one array that holds it. */
export interface MacHeaderFrame {
  /** The whole message: the header written, the general-signing APDU and the MAC still to come. */
  readonly bytes: Uint8Array;
  readonly generalSigningAt: number;
  readonly macAt: number;
}

/** A MAC-headed message of a `generalSigningLength`-byte APDU, its header written. */
export function macHeaderFrame(generalSigningLength: number): MacHeaderFrame {
  const cipheredLength = SECURITY_HEADER.length + generalSigningLength + MAC_LENGTH;
  const length = encodeDerLength(cipheredLength);
  const generalSigningAt = FIXED_PREFIX.length + length.length + SECURITY_HEADER.length;
  const bytes = new Uint8Array(generalSigningAt + generalSigningLength + MAC_LENGTH);
  bytes.set(FIXED_PREFIX, 0);
  bytes.set(length, FIXED_PREFIX.length);
  bytes.set(SECURITY_HEADER, FIXED_PREFIX.length + length.length);
  return { bytes, generalSigningAt, macAt: generalSigningAt + generalSigningLength };
}

/** Wraps a general-signing APDU and its MAC in the MAC header. */
export function encodeMacHeader(generalSigning: Uint8Array, mac: Uint8Array): Uint8Array {
  if (generalSigning[0] !== GENERAL_SIGNING_TAG) {
    throw new GbcsEncodeError('the MAC header wraps a general-signing APDU, which starts with 0xDF');
  }
  if (mac.length !== MAC_LENGTH)
    throw new GbcsEncodeError(`a GBCS MAC is ${MAC_LENGTH} bytes, got ${mac.length}`);
  const frame = macHeaderFrame(generalSigning.length);
  frame.bytes.set(generalSigning, frame.generalSigningAt);
  frame.bytes.set(mac, frame.macAt);
  return frame.bytes;
}

/** How long the MAC header makes a general-signing APDU of `length` bytes. */
export function macHeaderSize(length: number): number {
  const ciphered = SECURITY_HEADER.length + length + MAC_LENGTH;
  return FIXED_PREFIX.length + derLengthSize(ciphered) + ciphered;
}

export interface DecodedMacHeader {
  readonly generalSigning: DecodedGeneralSigning;
  readonly mac: Uint8Array;
}

/** Reads a whole MAC-headed message; `reader` must be at `DD` and hold exactly the message. */
export function readMacHeader(reader: ByteReader): DecodedMacHeader {
  const start = reader.offset;
  reader.expect(GENERAL_CIPHERING_TAG, 'general-ciphering tag', '0xDD (general-ciphering)');
  const emptyStrings = [
    'transaction-id',
    'originator system title',
    'recipient system title',
    'date-time',
    'other-information',
  ];
  for (const name of emptyStrings) {
    const at = reader.offset;
    const length = reader.byte(`MAC header ${name}`);
    if (length !== 0) {
      reader.fail(
        `MAC header ${name}`,
        `expected 0x00 (empty), got 0x${hex2(length)}: General Block Transfer and routing forms are not supported`,
        at,
      );
    }
  }
  const keyInfoAt = reader.offset;
  const keyInfo = reader.byte('MAC header key-info');
  if (keyInfo !== 0)
    reader.fail('MAC header key-info', `expected 0x00 (absent), got 0x${hex2(keyInfo)}`, keyInfoAt);
  reader.span('general-ciphering header', start);

  const lengthAt = reader.offset;
  const cipheredLength = reader.derLength('ciphered-content length');
  if (cipheredLength !== reader.remaining) {
    reader.fail(
      'ciphered-content length',
      `says ${cipheredLength} bytes follow, but ${reader.remaining} do`,
      lengthAt,
    );
  }
  if (cipheredLength < SECURITY_HEADER.length + 1 + MAC_LENGTH) {
    reader.fail(
      'ciphered-content length',
      `${cipheredLength} is too short for a security header, an APDU and a MAC`,
      lengthAt,
    );
  }
  reader.span('ciphered-content length', lengthAt, String(cipheredLength));

  const securityAt = reader.offset;
  const security = reader.take(SECURITY_HEADER.length, 'security header');
  if (!security.every((b, i) => b === SECURITY_HEADER[i])) {
    reader.fail(
      'security header',
      `expected 11 00 00 00 00 (authenticated, invocation counter 0), got ${Array.from(security, hex2).join(' ')}`,
      securityAt,
    );
  }
  reader.span('security header', securityAt);

  const innerBase = reader.offset;
  const inner = new ByteReader(reader.take(reader.remaining - MAC_LENGTH, 'general-signing APDU'), innerBase);
  inner.spans.push(...reader.spans);
  const generalSigning = readGeneralSigning(inner);
  inner.end('general-signing APDU');
  const macAt = reader.offset;
  const mac = Uint8Array.from(reader.take(MAC_LENGTH, 'MAC'));
  inner.spans.push({ offset: macAt, length: MAC_LENGTH, name: 'MAC' });
  return { generalSigning: { ...generalSigning, spans: inner.spans }, mac };
}
