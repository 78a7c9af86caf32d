import { signDeterministic, verifySignature } from '../smki/key-pair.js';
import {
  assembleImage,
  encodeUnsignedImage,
  type FirmwareHeader,
  type ParsedFirmwareImage,
} from './firmware-image.js';

/**
 * The manufacturer's side (signing a release) and the device's side (verifying it). The
 * signature is ECDSA P-256 over SHA-256(header ‖ body), 64 bytes r ‖ s, deterministic (RFC 6979)
 * so the same release and key always give the same image bytes and so the same hash.
 */
export function buildSignedImage(
  header: FirmwareHeader,
  body: Uint8Array,
  manufacturerPrivateKey: Uint8Array,
): Uint8Array {
  const unsigned = encodeUnsignedImage(header, body);
  return assembleImage(unsigned, signDeterministic(unsigned, manufacturerPrivateKey));
}

export function verifyImageSignature(image: ParsedFirmwareImage, manufacturerPublicKey: Uint8Array): boolean {
  return verifySignature(image.signed, image.signature, manufacturerPublicKey);
}

/**
 * What trialsim's simulated bootloader makes of a body (a simulation convention, not part of the
 * format): a body starting with ASCII `NOBOOT` is firmware that fails to start, so activating it
 * ends in `activationFailure` and the device keeps running its old image.
 */
export const NO_BOOT_MARKER = new TextEncoder().encode('NOBOOT');

export function bodyBoots(body: Uint8Array): boolean {
  return !NO_BOOT_MARKER.every((b, i) => body[i] === b);
}
