import { createHash } from 'node:crypto';

/**
 * trialsim's firmware image format (FIRMWARE-IMAGE.md): a header naming the manufacturer, the
 * image type, the hardware versions it applies to and the firmware version; the body; then the
 * manufacturer's ECDSA P-256 signature over header ‖ body. It plays the part of the ZigBee OTA
 * file of DCC.md §10, with string fields so that they match the CPL's Device Model fields exactly.
 */
export const FIRMWARE_MAGIC = Uint8Array.from([0x54, 0x53, 0x46, 0x57]); // "TSFW"
export const FIRMWARE_FORMAT_VERSION = 1;
export const FIRMWARE_SIGNATURE_LENGTH = 64;
/** GBCS frames carry at most 64 KiB (gbcs-messages.ts); the image travels in one 11.1 command. */
export const FIRMWARE_MAX_IMAGE_BYTES = 60 * 1024;

export interface FirmwareHeader {
  readonly manufacturer: string;
  readonly imageType: number;
  readonly firmwareVersion: string;
  readonly hardwareVersions: readonly string[];
}

export interface ParsedFirmwareImage {
  readonly header: FirmwareHeader;
  /** Header ‖ body: the bytes the manufacturer signed. */
  readonly signed: Uint8Array;
  readonly body: Uint8Array;
  readonly signature: Uint8Array;
}

export type FirmwareParseResult =
  | { readonly ok: true; readonly image: ParsedFirmwareImage }
  | { readonly ok: false; readonly reason: string };

const LIMITS = { manufacturer: 64, firmwareVersion: 8, hardwareVersion: 32, hardwareVersions: 16 } as const;

/** SHA-256 of the whole image, signature included: the CPL `imageHash` and 11.3's hash. */
export function firmwareImageHash(image: Uint8Array): Uint8Array {
  return Uint8Array.from(createHash('sha256').update(image).digest());
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Header ‖ body, ready to sign. Throws RangeError for a header the format cannot carry. */
export function encodeUnsignedImage(header: FirmwareHeader, body: Uint8Array): Uint8Array {
  const text = (value: string, max: number, what: string, min = 1): Uint8Array => {
    const bytes = new TextEncoder().encode(value);
    if (bytes.length < min || bytes.length > max) {
      throw new RangeError(
        `firmware header: ${what} must be ${min}–${max} bytes of UTF-8, got ${bytes.length}`,
      );
    }
    return Uint8Array.from([bytes.length, ...bytes]);
  };
  if (!Number.isInteger(header.imageType) || header.imageType < 0 || header.imageType > 0xffff) {
    throw new RangeError(`firmware header: image type must be 0–65535, got ${header.imageType}`);
  }
  const count = header.hardwareVersions.length;
  if (count < 1 || count > LIMITS.hardwareVersions) {
    throw new RangeError(`firmware header: 1–${LIMITS.hardwareVersions} hardware versions, got ${count}`);
  }
  const fields = [
    text(header.manufacturer, LIMITS.manufacturer, 'manufacturer'),
    text(header.firmwareVersion, LIMITS.firmwareVersion, 'firmware version'),
    Uint8Array.from([count]),
    ...header.hardwareVersions.map((hw) => text(hw, LIMITS.hardwareVersion, 'hardware version')),
  ];
  const headerLength = 4 + 1 + 2 + 2 + fields.reduce((n, f) => n + f.length, 0) + 4;
  const out = new Uint8Array(headerLength + body.length);
  const view = new DataView(out.buffer);
  out.set(FIRMWARE_MAGIC, 0);
  out[4] = FIRMWARE_FORMAT_VERSION;
  view.setUint16(5, headerLength);
  view.setUint16(7, header.imageType);
  let offset = 9;
  for (const field of fields) {
    out.set(field, offset);
    offset += field.length;
  }
  view.setUint32(offset, body.length);
  out.set(body, headerLength);
  return out;
}

/** Appends the signature: the complete image. */
export function assembleImage(unsigned: Uint8Array, signature: Uint8Array): Uint8Array {
  if (signature.length !== FIRMWARE_SIGNATURE_LENGTH) {
    throw new RangeError(
      `a firmware signature is ${FIRMWARE_SIGNATURE_LENGTH} bytes, got ${signature.length}`,
    );
  }
  const image = new Uint8Array(unsigned.length + signature.length);
  image.set(unsigned);
  image.set(signature, unsigned.length);
  return image;
}

/** Reads an image's structure. Never throws: a device must discard garbage, not crash. */
export function parseFirmwareImage(image: Uint8Array): FirmwareParseResult {
  const fail = (reason: string): FirmwareParseResult => ({ ok: false, reason });
  if (!(image instanceof Uint8Array)) return fail('not a byte string');
  if (image.length < 9 + FIRMWARE_SIGNATURE_LENGTH) return fail(`too short (${image.length} bytes)`);
  if (!FIRMWARE_MAGIC.every((b, i) => image[i] === b)) return fail('no "TSFW" magic');
  if (image[4] !== FIRMWARE_FORMAT_VERSION) return fail(`unknown format version ${image[4]}`);
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const headerLength = view.getUint16(5);
  const imageType = view.getUint16(7);
  let offset = 9;
  const readText = (max: number): string | undefined => {
    const length = image[offset];
    if (length === undefined || length < 1 || length > max || offset + 1 + length > headerLength)
      return undefined;
    const bytes = image.subarray(offset + 1, offset + 1 + length);
    offset += 1 + length;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return undefined;
    }
  };
  if (headerLength > image.length - FIRMWARE_SIGNATURE_LENGTH) return fail('header length beyond the image');
  const manufacturer = readText(LIMITS.manufacturer);
  if (manufacturer === undefined) return fail('bad manufacturer field');
  const firmwareVersion = readText(LIMITS.firmwareVersion);
  if (firmwareVersion === undefined) return fail('bad firmware version field');
  const count = image[offset];
  offset += 1;
  if (count === undefined || count < 1 || count > LIMITS.hardwareVersions)
    return fail('bad hardware version count');
  const hardwareVersions: string[] = [];
  for (let i = 0; i < count; i++) {
    const hw = readText(LIMITS.hardwareVersion);
    if (hw === undefined) return fail(`bad hardware version ${i + 1}`);
    hardwareVersions.push(hw);
  }
  if (offset + 4 !== headerLength) return fail('header length does not match its fields');
  const bodyLength = view.getUint32(offset);
  if (headerLength + bodyLength + FIRMWARE_SIGNATURE_LENGTH !== image.length) {
    return fail('body length does not match the image size');
  }
  return {
    ok: true,
    image: {
      header: { manufacturer, imageType, firmwareVersion, hardwareVersions },
      signed: image.subarray(0, headerLength + bodyLength),
      body: image.subarray(headerLength, headerLength + bodyLength),
      signature: image.subarray(headerLength + bodyLength),
    },
  };
}
