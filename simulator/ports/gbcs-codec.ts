import type { GbcsPayload } from '../domain/messages/gbcs-messages.js';

/**
 * How the domain turns a GBCS payload into the exact bytes that are signed or MACed. The domain
 * stays free of any encoding library; the wire adapter provides the CBOR implementation.
 */
export interface GbcsCodec {
  encodePayload(payload: GbcsPayload): Uint8Array;
  /** Throws on bytes that are not a valid payload (the caller turns that into 0x8F1E). */
  decodePayload(bytes: Uint8Array): GbcsPayload;
}
