import { type Eui, euiFromBytes } from '../../eui.js';
import { ByteReader, type FieldSpan, hex2 } from './byte-reader.js';
import { CRA_FLAG, type CraKind, craKindOf } from './cra-flag.js';
import { encodeDerLength } from './der-length.js';
import {
  DLMS_DATE_TIME_LENGTH,
  type DlmsDateTime,
  describeDlmsDateTime,
  encodeDlmsDateTime,
  readDlmsDateTime,
} from './dlms-date-time.js';
import { GbcsEncodeError } from './gbcs-codec-error.js';
import {
  encodeOtherInformation,
  eui,
  type OtherInformation,
  readOtherInformation,
  writeUint64,
} from './other-information.js';

/** DLMS general-signing tag: the grouping header every GBCS APDU starts with (GBCS.md §2.3). */
export const GENERAL_SIGNING_TAG = 0xdf;
export const SIGNATURE_LENGTH = 64;

/**
 * The signature field (GBCS.md §2.3, §5.6):
 * - `omitted`: no signature length byte at all — a pre-command as RTDS and DCC Boxed write it;
 * - `empty`: `00` — every MACed, unsigned message;
 * - `signed`: `40` ‖ r ‖ s — User-signed critical commands, device-signed responses and alerts.
 */
export type SignatureField =
  | { readonly kind: 'omitted' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'signed'; readonly signature: Uint8Array };

export const SIGNATURE_OMITTED: SignatureField = Object.freeze({ kind: 'omitted' });
export const SIGNATURE_EMPTY: SignatureField = Object.freeze({ kind: 'empty' });

/** One general-signing APDU, every byte of it as a field (it re-encodes to the same bytes). */
export interface GeneralSigningApdu {
  readonly cra: CraKind;
  /** The originator counter: the command's for a command and its response, the alert counter for an alert. */
  readonly counter: bigint;
  readonly originator: Eui;
  readonly recipient: Eui;
  /** `null` = `00` (absent); GBCS.md §2.3 says which responses carry one. */
  readonly dateTime: DlmsDateTime | null;
  readonly otherInformation: OtherInformation;
  /** The payload (DLMS, DER or GBZ), dispatched on its first byte (GBCS.md §6). */
  readonly content: Uint8Array;
  readonly signature: SignatureField;
}

/** The transaction-id with its length byte, `09` ‖ CRA ‖ counter: also the KDF's OtherInfo middle (§4.2). */
export function encodeTransactionId(cra: CraKind | 4, counter: bigint): Uint8Array {
  const out = new Uint8Array(TRANSACTION_ID_LENGTH);
  writeTransactionId(cra, counter, out, 0);
  return out;
}

/** `09` ‖ CRA ‖ counter, 10 bytes. */
export const TRANSACTION_ID_LENGTH = 10;

/** encodeTransactionId's bytes written at `at` in `out` (the MAC's KDF input takes them in place). */
export function writeTransactionId(cra: CraKind | 4, counter: bigint, out: Uint8Array, at: number): void {
  out[at] = 0x09;
  out[at + 1] = cra === 4 ? 4 : CRA_FLAG[cra];
  writeUint64(counter, 'originator counter', out, at + 2);
}

/**
 * The header fields of an APDU encoded, checked, and its sizes: what every encoder below writes.
 * Each part is small (under 64 bytes, which V8 keeps on its heap); the content and signature are
 * written straight into the one array the caller allocates, because a typed array over 64 bytes
 * costs ~0.5 µs to allocate and each Buffer.concat + Uint8Array.from copy one more (#21).
 */
interface GeneralSigningLayout {
  readonly transactionId: Uint8Array;
  readonly originator: Uint8Array;
  readonly recipient: Uint8Array;
  readonly dateTime: Uint8Array | null;
  readonly otherInformation: Uint8Array;
  readonly contentLength: Uint8Array;
  readonly content: Uint8Array;
  /** `DF` up to the last payload byte. */
  readonly bodyLength: number;
}

function layoutOf(apdu: Omit<GeneralSigningApdu, 'signature'>): GeneralSigningLayout {
  if (!(apdu.content instanceof Uint8Array)) throw new GbcsEncodeError('content must be bytes');
  if (craKindOf(CRA_FLAG[apdu.cra] ?? 0) === undefined) {
    throw new GbcsEncodeError(`cra must be command, response or alert, got ${JSON.stringify(apdu.cra)}`);
  }
  const transactionId = encodeTransactionId(apdu.cra, apdu.counter);
  const originator = eui(apdu.originator);
  const recipient = eui(apdu.recipient);
  const dateTime = apdu.dateTime === null ? null : encodeDlmsDateTime(apdu.dateTime);
  const otherInformation = encodeOtherInformation(apdu.otherInformation);
  const contentLength = encodeDerLength(apdu.content.length);
  const bodyLength =
    1 +
    transactionId.length +
    2 * (1 + 8) +
    1 +
    (dateTime === null ? 0 : DLMS_DATE_TIME_LENGTH) +
    otherInformation.length +
    contentLength.length +
    apdu.content.length;
  return {
    transactionId,
    originator,
    recipient,
    dateTime,
    otherInformation,
    contentLength,
    content: apdu.content,
    bodyLength,
  };
}

/** Writes `DF` … last payload byte at `at` in `out`; returns the offset after it. */
function writeBody(layout: GeneralSigningLayout, out: Uint8Array, at: number): number {
  let i = at;
  out[i++] = GENERAL_SIGNING_TAG;
  out.set(layout.transactionId, i);
  i += layout.transactionId.length;
  out[i++] = 8;
  out.set(layout.originator, i);
  i += 8;
  out[i++] = 8;
  out.set(layout.recipient, i);
  i += 8;
  if (layout.dateTime === null) out[i++] = 0;
  else {
    out[i++] = DLMS_DATE_TIME_LENGTH;
    out.set(layout.dateTime, i);
    i += DLMS_DATE_TIME_LENGTH;
  }
  out.set(layout.otherInformation, i);
  i += layout.otherInformation.length;
  out.set(layout.contentLength, i);
  i += layout.contentLength.length;
  out.set(layout.content, i);
  return i + layout.content.length;
}

function signatureFieldLength(field: SignatureField): number {
  if (field.kind === 'omitted') return 0;
  if (field.kind === 'empty') return 1;
  if (!(field.signature instanceof Uint8Array) || field.signature.length !== SIGNATURE_LENGTH) {
    throw new GbcsEncodeError(`a GBCS signature is ${SIGNATURE_LENGTH} bytes r ‖ s`);
  }
  return 1 + SIGNATURE_LENGTH;
}

/** Writes the field at `at` in `out` (checked as signatureFieldLength checks it); returns its length. */
function writeSignatureField(field: SignatureField, out: Uint8Array, at: number): number {
  const length = signatureFieldLength(field);
  if (field.kind === 'empty') out[at] = 0;
  else if (field.kind === 'signed') {
    out[at] = SIGNATURE_LENGTH;
    out.set(field.signature, at + 1);
  }
  return length;
}

/**
 * The header and content, from `DF` up to the last payload byte: the signature field is what
 * follows. Split out so signing (which covers bytes 1… of this) needs no second encoding.
 */
export function encodeGeneralSigningBody(apdu: Omit<GeneralSigningApdu, 'signature'>): Uint8Array {
  const layout = layoutOf(apdu);
  const out = new Uint8Array(layout.bodyLength);
  writeBody(layout, out, 0);
  return out;
}

export function encodeSignatureField(field: SignatureField): Uint8Array {
  const out = new Uint8Array(signatureFieldLength(field));
  writeSignatureField(field, out, 0);
  return out;
}

/** An APDU checked and laid out, to be written where a frame around it (the MAC header) wants it. */
export interface PreparedGeneralSigning {
  /** Bytes of the whole APDU, `DF` … signature field. */
  readonly length: number;
  /** Writes it at `at` in `out` (which has room for `length` bytes there). */
  writeTo(out: Uint8Array, at: number): void;
}

export function prepareGeneralSigning(apdu: GeneralSigningApdu): PreparedGeneralSigning {
  const layout = layoutOf(apdu);
  return {
    length: layout.bodyLength + signatureFieldLength(apdu.signature),
    writeTo: (out, at) => {
      writeSignatureField(apdu.signature, out, writeBody(layout, out, at));
    },
  };
}

/**
 * The APDU encoded once with the signature `sign` makes over its signed bytes (after `DF` up to
 * the last payload byte) in its signature field, `40` ‖ r ‖ s; apdu.signature plays no part.
 */
export function encodeSignedGeneralSigning(
  apdu: Omit<GeneralSigningApdu, 'signature'>,
  sign: (signedBytes: Uint8Array) => Uint8Array,
): Uint8Array {
  const layout = layoutOf(apdu);
  const out = new Uint8Array(layout.bodyLength + 1 + SIGNATURE_LENGTH);
  const bodyEnd = writeBody(layout, out, 0);
  const signature = sign(out.subarray(1, bodyEnd));
  writeSignatureField({ kind: 'signed', signature }, out, bodyEnd);
  return out;
}

/** The whole general-signing APDU, `DF` … signature field. */
export function encodeGeneralSigning(apdu: GeneralSigningApdu): Uint8Array {
  const prepared = prepareGeneralSigning(apdu);
  const out = new Uint8Array(prepared.length);
  prepared.writeTo(out, 0);
  return out;
}

/** A decoded general-signing APDU and where its parts sit, in offsets of the whole message. */
export interface DecodedGeneralSigning {
  readonly apdu: GeneralSigningApdu;
  /** `DF` … end of the signature field: the MAC's AAD after its 6-byte prefix (§4.2). */
  readonly bytes: Uint8Array;
  /** The bytes GBCS signs: after `DF` up to the last payload byte (§4.1). */
  readonly signedBytes: Uint8Array;
  /** Absolute offset of the first content byte, for payload decoders' error offsets. */
  readonly contentOffset: number;
  readonly spans: readonly FieldSpan[];
}

/**
 * Reads one general-signing APDU that runs to the end of `reader` (which must be at `DF`).
 * Nothing after the content means the signature field is omitted (a pre-command): that is why
 * the reader must hold exactly the APDU, e.g. the MAC header's ciphered content and no more.
 */
export function readGeneralSigning(reader: ByteReader): DecodedGeneralSigning {
  const start = reader.position;
  const startOffset = reader.offset;
  reader.expect(GENERAL_SIGNING_TAG, 'general-signing tag', '0xDF (general-signing)');
  reader.span('general-signing tag', startOffset);

  let at = reader.offset;
  reader.expect(0x09, 'transaction-id length', '0x09');
  const craOffset = reader.offset;
  const craFlag = reader.byte('CRA flag');
  const cra = craKindOf(craFlag);
  if (cra === undefined) {
    reader.fail('CRA flag', `0x${hex2(craFlag)} is not 01 (command), 02 (response) or 03 (alert)`, craOffset);
  }
  const counter = reader.uint64('originator counter');
  reader.span('transaction-id', at, () => `CRA ${craFlag} (${cra}), counter ${counter}`);

  at = reader.offset;
  reader.expect(8, 'originator system title length', '0x08');
  const originator = euiFromBytes(reader.take(8, 'originator system title'));
  reader.span('originator system title', at, originator);

  at = reader.offset;
  reader.expect(8, 'recipient system title length', '0x08');
  const recipient = euiFromBytes(reader.take(8, 'recipient system title'));
  reader.span('recipient system title', at, recipient);

  at = reader.offset;
  const dateTimeLength = reader.byte('date-time length');
  let dateTime: DlmsDateTime | null = null;
  if (dateTimeLength === DLMS_DATE_TIME_LENGTH) {
    dateTime = readDlmsDateTime(reader, 'date-time');
  } else if (dateTimeLength !== 0) {
    reader.fail('date-time length', `expected 0x00 (absent) or 0x0C, got 0x${hex2(dateTimeLength)}`, at);
  }
  const readDateTime = dateTime;
  reader.span('date-time', at, readDateTime === null ? 'absent' : () => describeDlmsDateTime(readDateTime));

  at = reader.offset;
  const otherInformation = readOtherInformation(reader);
  reader.span('other-information', at, () => describeOtherInformation(otherInformation));

  at = reader.offset;
  const contentLength = reader.derLength('content length');
  reader.span('content length', at, String(contentLength));
  const contentOffset = reader.offset;
  const content = Uint8Array.from(reader.take(contentLength, 'content'));
  reader.span('content', contentOffset);
  const signedEnd = reader.position;

  at = reader.offset;
  let signature: SignatureField = SIGNATURE_OMITTED;
  if (reader.remaining > 0) {
    const length = reader.byte('signature length');
    if (length === 0) signature = SIGNATURE_EMPTY;
    else if (length === SIGNATURE_LENGTH) {
      signature = { kind: 'signed', signature: Uint8Array.from(reader.take(SIGNATURE_LENGTH, 'signature')) };
    } else {
      reader.fail(
        'signature length',
        `expected 0x00 (none) or 0x40 (64-byte r ‖ s), got 0x${hex2(length)}`,
        at,
      );
    }
  }
  reader.span('signature', at, signature.kind === 'omitted' ? 'omitted (pre-command)' : signature.kind);

  return {
    apdu: { cra, counter, originator, recipient, dateTime, otherInformation, content, signature },
    bytes: reader.bytes.subarray(start, reader.position),
    signedBytes: reader.bytes.subarray(start + 1, signedEnd),
    contentOffset,
    spans: reader.spans,
  };
}

export function describeOtherInformation(info: OtherInformation): string {
  const code = `message code 0x${info.messageCode.toString(16).padStart(4, '0').toUpperCase()}`;
  switch (info.form) {
    case 'message-code':
      return code;
    case 'remote-party-id':
      return `${code}, supplementary remote party ${info.remotePartyId}`;
    case 'remote-party':
      return `${code}, supplementary remote party ${info.remotePartyId} counter ${info.remotePartyCounter}`;
    case 'remote-party-originator-counter':
      return `${code}, supplementary remote party ${info.remotePartyId} counter ${info.remotePartyCounter}, originator counter ${info.originatorCounter}`;
    case 'remote-party-certificate':
      return `${code}, supplementary remote party ${info.remotePartyId} counter ${info.remotePartyCounter}, KA certificate (${info.remotePartyKaCertificate.length} bytes)`;
  }
}

/** Decodes a general-signing APDU that is the whole of `bytes` (a pre-command or a device-signed message). */
export function decodeGeneralSigning(bytes: Uint8Array): DecodedGeneralSigning {
  const reader = new ByteReader(bytes);
  const decoded = readGeneralSigning(reader);
  reader.end('general-signing APDU');
  return decoded;
}
