/**
 * The content of a device message on trialsim's own profile (simulator/PROTOCOL.md §5): for a
 * service or device type with no GBCS payload trialsim encodes, the GBCS APDU's content field
 * carries the body as CBOR instead. The domain stays free of the encoding library; the wire
 * adapter provides it. GBCS-encoded use cases never pass through here.
 */
export interface ContentCodec {
  encodeBody(body: Readonly<Record<string, unknown>>): Uint8Array;
  /** Throws on bytes that are not a CBOR map (the device turns that into 0x8F1E). */
  decodeBody(bytes: Uint8Array): Record<string, unknown>;
}
