import { ByteReader, type FieldSpan, hex2 } from './byte-reader.js';
import { GbcsDecodeError } from './gbcs-codec-error.js';
import { GENERAL_SIGNING_TAG, type GeneralSigningApdu, readGeneralSigning } from './general-signing.js';
import { GENERAL_CIPHERING_TAG, readMacHeader } from './mac-header.js';

/**
 * One GBCS message as it travels: MAC-headed (`DD` … MAC) or a bare general-signing APDU (`DF`:
 * device-signed responses and alerts, and pre-commands), GBCS.md §2.1.
 */
export interface GbcsMessage {
  readonly frame: 'mac-header' | 'general-signing';
  readonly apdu: GeneralSigningApdu;
  /** `DF` … end of the signature field. */
  readonly generalSigningBytes: Uint8Array;
  /** What GBCS signs: after `DF` to the last content byte (§4.1). */
  readonly signedBytes: Uint8Array;
  /** The 12-byte MAC, or null for a bare `DF` message. */
  readonly mac: Uint8Array | null;
  /** Absolute offset of the first content byte (payload decoders report offsets from the message start). */
  readonly contentOffset: number;
  /** Every header field, in order, with offsets: the decoder's "Wireshark" view. */
  readonly fields: readonly FieldSpan[];
}

/** Decodes a whole message. Throws GbcsDecodeError (with the byte offset) and nothing else. */
export function decodeGbcsMessage(bytes: Uint8Array): GbcsMessage {
  try {
    return decodeUnchecked(bytes);
  } catch (err) {
    if (err instanceof GbcsDecodeError) throw err;
    // A bug in a decoder, not bad input — still reported as a decode failure at the start, so a
    // device never crashes on bytes from the wire; the cause keeps the stack.
    throw new GbcsDecodeError(0, 'message', `internal decoder fault: ${String(err)}`, { cause: err });
  }
}

function decodeUnchecked(bytes: Uint8Array): GbcsMessage {
  const reader = new ByteReader(bytes);
  const first = reader.peek();
  if (first === GENERAL_CIPHERING_TAG) {
    const { generalSigning, mac } = readMacHeader(reader);
    return {
      frame: 'mac-header',
      apdu: generalSigning.apdu,
      generalSigningBytes: generalSigning.bytes,
      signedBytes: generalSigning.signedBytes,
      mac,
      contentOffset: generalSigning.contentOffset,
      fields: generalSigning.spans,
    };
  }
  if (first === GENERAL_SIGNING_TAG) {
    const decoded = readGeneralSigning(reader);
    reader.end('general-signing APDU');
    return {
      frame: 'general-signing',
      apdu: decoded.apdu,
      generalSigningBytes: decoded.bytes,
      signedBytes: decoded.signedBytes,
      mac: null,
      contentOffset: decoded.contentOffset,
      fields: decoded.spans,
    };
  }
  if (first === undefined) throw new GbcsDecodeError(0, 'message', 'empty input');
  throw new GbcsDecodeError(
    0,
    'message',
    `first byte 0x${hex2(first)} is neither 0xDD (MAC header) nor 0xDF (general-signing)`,
  );
}
