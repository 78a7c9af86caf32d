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
  uint64,
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
  const out = new Uint8Array(10);
  out[0] = 0x09;
  out[1] = cra === 4 ? 4 : CRA_FLAG[cra];
  out.set(uint64(counter, 'originator counter'), 2);
  return out;
}

/**
 * The header and content, from `DF` up to the last payload byte: the signature field is what
 * follows. Split out so signing (which covers bytes 1… of this) needs no second encoding.
 */
export function encodeGeneralSigningBody(apdu: Omit<GeneralSigningApdu, 'signature'>): Uint8Array {
  if (!(apdu.content instanceof Uint8Array)) throw new GbcsEncodeError('content must be bytes');
  if (craKindOf(CRA_FLAG[apdu.cra] ?? 0) === undefined) {
    throw new GbcsEncodeError(`cra must be command, response or alert, got ${JSON.stringify(apdu.cra)}`);
  }
  const dateTime =
    apdu.dateTime === null
      ? Uint8Array.of(0)
      : Buffer.concat([Uint8Array.of(DLMS_DATE_TIME_LENGTH), encodeDlmsDateTime(apdu.dateTime)]);
  return Uint8Array.from(
    Buffer.concat([
      Uint8Array.of(GENERAL_SIGNING_TAG),
      encodeTransactionId(apdu.cra, apdu.counter),
      Uint8Array.of(8),
      eui(apdu.originator),
      Uint8Array.of(8),
      eui(apdu.recipient),
      dateTime,
      encodeOtherInformation(apdu.otherInformation),
      encodeDerLength(apdu.content.length),
      apdu.content,
    ]),
  );
}

export function encodeSignatureField(field: SignatureField): Uint8Array {
  if (field.kind === 'omitted') return new Uint8Array(0);
  if (field.kind === 'empty') return Uint8Array.of(0);
  if (!(field.signature instanceof Uint8Array) || field.signature.length !== SIGNATURE_LENGTH) {
    throw new GbcsEncodeError(`a GBCS signature is ${SIGNATURE_LENGTH} bytes r ‖ s`);
  }
  return Uint8Array.from(Buffer.concat([Uint8Array.of(SIGNATURE_LENGTH), field.signature]));
}

/** The whole general-signing APDU, `DF` … signature field. */
export function encodeGeneralSigning(apdu: GeneralSigningApdu): Uint8Array {
  return Uint8Array.from(
    Buffer.concat([encodeGeneralSigningBody(apdu), encodeSignatureField(apdu.signature)]),
  );
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
  reader.span('transaction-id', at, `CRA ${craFlag} (${cra}), counter ${counter}`);

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
  reader.span('date-time', at, dateTime === null ? 'absent' : describeDlmsDateTime(dateTime));

  at = reader.offset;
  const otherInformation = readOtherInformation(reader);
  reader.span('other-information', at, describeOtherInformation(otherInformation));

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
