import { createHash } from 'node:crypto';
import { signDeterministic, verifySignature } from '../../smki/key-pair.js';
import { ByteReader, hex2 } from '../apdu/byte-reader.js';
import { GbcsEncodeError } from '../apdu/gbcs-codec-error.js';

/**
 * The GBCS OTA upgrade image (GBCS.md §9; HenryGiraldo/gbcs, citing GBCS §11.2.2–11.2.4): a
 * ZigBee OTA header (little-endian fields, 60 bytes with hardware versions), then the upgrade
 * image = manufacturer image ‖ force-replace byte ‖ `40` ‖ r‖s, where the signature is ECDSA
 * P-256/SHA-256 over the manufacturer image only, by the authorising remote party (the
 * Supplier). The manufacturer image hash CS06 names and FDRA reports is SHA-256 of the
 * manufacturer image (UNCONFIRMED beyond HenryGiraldo/gbcs). Images of hundreds of KB are fine.
 */
export const OTA_FILE_IDENTIFIER = 0x0beef11e;
export const OTA_HEADER_VERSION = 0x0100;
const HEADER_LENGTH = 60;
const FIELD_CONTROL_HARDWARE_VERSIONS = 0x0004;
const HEADER_STRING_LENGTH = 32;
const SIGNATURE_LENGTH = 64;
const TRAILER_LENGTH = 1 + 1 + SIGNATURE_LENGTH;

export interface OtaHeader {
  readonly manufacturerCode: number;
  readonly imageType: number;
  readonly fileVersion: number;
  readonly zigbeeStackVersion: number;
  /** Up to 32 bytes of text, zero-padded on the wire. */
  readonly headerString: string;
  readonly minimumHardwareVersion: number;
  readonly maximumHardwareVersion: number;
}

export interface OtaUpgradeImage {
  readonly header: OtaHeader;
  readonly manufacturerImage: Uint8Array;
  readonly forceReplace: boolean;
  readonly signature: Uint8Array;
}

export function manufacturerImageHash(manufacturerImage: Uint8Array): Uint8Array {
  return Uint8Array.from(createHash('sha256').update(manufacturerImage).digest());
}

/** Builds and signs an image; `supplierDsPrivateKey` is the authorising remote party's DS key. */
export function buildOtaUpgradeImage(
  header: OtaHeader,
  manufacturerImage: Uint8Array,
  supplierDsPrivateKey: Uint8Array,
  forceReplace = false,
): Uint8Array {
  return encodeOtaUpgradeImage({
    header,
    manufacturerImage,
    forceReplace,
    signature: signDeterministic(manufacturerImage, supplierDsPrivateKey),
  });
}

export function encodeOtaUpgradeImage(image: OtaUpgradeImage): Uint8Array {
  const { header } = image;
  const total = HEADER_LENGTH + image.manufacturerImage.length + TRAILER_LENGTH;
  if (total > 0xffff_ffff) throw new GbcsEncodeError('an OTA image is at most 4 GiB');
  if (image.signature.length !== SIGNATURE_LENGTH)
    throw new GbcsEncodeError('the image signature is 64 bytes r ‖ s');
  const headerString = Buffer.from(header.headerString, 'latin1');
  if (headerString.length > HEADER_STRING_LENGTH)
    throw new GbcsEncodeError('the OTA header string is at most 32 bytes');
  const out = Buffer.alloc(total);
  let at = 0;
  const u16 = (v: number, name: string) => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff)
      throw new GbcsEncodeError(`${name} must be a uint16, got ${v}`);
    at = out.writeUInt16LE(v, at);
  };
  const u32 = (v: number, name: string) => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff)
      throw new GbcsEncodeError(`${name} must be a uint32, got ${v}`);
    at = out.writeUInt32LE(v, at);
  };
  u32(OTA_FILE_IDENTIFIER, 'file identifier');
  u16(OTA_HEADER_VERSION, 'header version');
  u16(HEADER_LENGTH, 'header length');
  u16(FIELD_CONTROL_HARDWARE_VERSIONS, 'field control');
  u16(header.manufacturerCode, 'manufacturer code');
  u16(header.imageType, 'image type');
  u32(header.fileVersion, 'file version');
  u16(header.zigbeeStackVersion, 'ZigBee stack version');
  headerString.copy(out, at);
  at += HEADER_STRING_LENGTH;
  u32(total, 'total image size');
  u16(header.minimumHardwareVersion, 'minimum hardware version');
  u16(header.maximumHardwareVersion, 'maximum hardware version');
  out.set(image.manufacturerImage, at);
  at += image.manufacturerImage.length;
  out[at++] = image.forceReplace ? 1 : 0;
  out[at++] = SIGNATURE_LENGTH;
  out.set(image.signature, at);
  return Uint8Array.from(out);
}

/** Parses an image; GbcsDecodeError names the byte offset within the image. */
export function decodeOtaUpgradeImage(bytes: Uint8Array): OtaUpgradeImage {
  const reader: ByteReader = new ByteReader(bytes);
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = (size: 2 | 4, field: string) => {
    const at = reader.position;
    reader.take(size, field);
    return size === 2 ? view.readUInt16LE(at) : view.readUInt32LE(at);
  };
  const expectLe = (size: 2 | 4, value: number, field: string) => {
    const at = reader.offset;
    const got = le(size, field);
    if (got !== value)
      reader.fail(
        field,
        `expected 0x${value.toString(16).toUpperCase()}, got 0x${got.toString(16).toUpperCase()}`,
        at,
      );
  };
  expectLe(4, OTA_FILE_IDENTIFIER, 'OTA file identifier');
  expectLe(2, OTA_HEADER_VERSION, 'OTA header version');
  expectLe(2, HEADER_LENGTH, 'OTA header length');
  expectLe(2, FIELD_CONTROL_HARDWARE_VERSIONS, 'OTA field control');
  const manufacturerCode = le(2, 'manufacturer code');
  const imageType = le(2, 'image type');
  const fileVersion = le(4, 'file version');
  const zigbeeStackVersion = le(2, 'ZigBee stack version');
  const headerString = Buffer.from(reader.take(HEADER_STRING_LENGTH, 'header string'))
    .toString('latin1')
    .replace(/\0+$/, '');
  const totalAt = reader.offset;
  const total = le(4, 'total image size');
  if (total !== bytes.length)
    reader.fail('total image size', `says ${total} bytes, the image has ${bytes.length}`, totalAt);
  const minimumHardwareVersion = le(2, 'minimum hardware version');
  const maximumHardwareVersion = le(2, 'maximum hardware version');
  if (reader.remaining < TRAILER_LENGTH)
    reader.fail('upgrade image', 'too short for a force-replace byte and a signature');
  const manufacturerImage = Uint8Array.from(
    reader.take(reader.remaining - TRAILER_LENGTH, 'manufacturer image'),
  );
  const forceAt = reader.offset;
  const force = reader.byte('force-replace');
  if (force > 1) reader.fail('force-replace', `expected 0x00 or 0x01, got 0x${hex2(force)}`, forceAt);
  reader.expect(SIGNATURE_LENGTH, 'signature length', '0x40');
  const signature = Uint8Array.from(reader.take(SIGNATURE_LENGTH, 'signature'));
  return {
    header: {
      manufacturerCode,
      imageType,
      fileVersion,
      zigbeeStackVersion,
      headerString,
      minimumHardwareVersion,
      maximumHardwareVersion,
    },
    manufacturerImage,
    forceReplace: force === 1,
    signature,
  };
}

/** Whether the image's signature is the Supplier's over the manufacturer image. */
export function otaImageSignatureValid(image: OtaUpgradeImage, supplierDsPublicKey: Uint8Array): boolean {
  return verifySignature(image.manufacturerImage, image.signature, supplierDsPublicKey);
}
