import { signDeterministic, verifySignature } from '../../smki/key-pair.js';
import { GbcsEncodeError } from '../apdu/gbcs-codec-error.js';
import {
  decodeGeneralSigning,
  encodeGeneralSigningBody,
  type GeneralSigningApdu,
  SIGNATURE_LENGTH,
} from '../apdu/general-signing.js';

/**
 * GBCS signatures (GBCS.md §4.1): ECDSA P-256 over SHA-256 of the general-signing APDU from the
 * byte after `DF` to the last payload byte, written r ‖ s. trialsim signs with RFC 6979 k so its
 * own messages are reproducible; RTDS's signatures are not RFC 6979, so those only verify.
 */

/** The bytes GBCS signs for this APDU (its signature field plays no part). */
export function gbcsSignedBytes(apdu: Omit<GeneralSigningApdu, 'signature'>): Uint8Array {
  return encodeGeneralSigningBody(apdu).subarray(1);
}

/** The APDU with its signature field set to `40 ‖ r ‖ s` by `dsPrivateKey` (the originator's DS key). */
export function signGeneralSigning(apdu: GeneralSigningApdu, dsPrivateKey: Uint8Array): GeneralSigningApdu {
  const signature = signDeterministic(gbcsSignedBytes(apdu), dsPrivateKey);
  return { ...apdu, signature: { kind: 'signed', signature } };
}

/**
 * Signs a pre-command as a User does for DUIS CV 4/5 (§5.6): accepts both the RTDS form (no
 * signature field) and one ending in `00`, and returns the general-signing APDU ‖ `40` ‖ r ‖ s.
 * `signedEnd` is the offset where the signed bytes end (from a decode of the pre-command).
 */
export function signPreCommandBytes(
  preCommand: Uint8Array,
  signedEnd: number,
  dsPrivateKey: Uint8Array,
): Uint8Array {
  if (preCommand[0] !== 0xdf) throw new GbcsEncodeError('a pre-command is a general-signing APDU (0xDF …)');
  const signature = signDeterministic(preCommand.subarray(1, signedEnd), dsPrivateKey);
  const out = new Uint8Array(signedEnd + 1 + SIGNATURE_LENGTH);
  out.set(preCommand.subarray(0, signedEnd), 0);
  out[signedEnd] = SIGNATURE_LENGTH;
  out.set(signature, signedEnd + 1);
  return out;
}

/**
 * 'valid' or 'invalid' for a signed APDU; 'absent' when it carries none. Never throws: a bad
 * key or garbage signature is 'invalid'.
 */
export function checkGbcsSignature(
  signedBytes: Uint8Array,
  apdu: Pick<GeneralSigningApdu, 'signature'>,
  dsPublicKey: Uint8Array,
): 'valid' | 'invalid' | 'absent' {
  if (apdu.signature.kind !== 'signed') return 'absent';
  return verifySignature(signedBytes, apdu.signature.signature, dsPublicKey) ? 'valid' : 'invalid';
}

/**
 * The 64-byte r ‖ s a User returns with DUIS CV 5: its DS key's signature over the Pre-Command's
 * signed bytes (after `DF`, up to the last payload byte; a trailing `00` signature field, if the
 * Pre-Command carries one, is not signed). Throws GbcsDecodeError when the bytes are not a
 * general-signing APDU.
 */
export function preCommandSignature(preCommand: Uint8Array, dsPrivateKey: Uint8Array): Uint8Array {
  return signDeterministic(decodeGeneralSigning(preCommand).signedBytes, dsPrivateKey);
}

/**
 * A User's side of DUIS CV 4/5: decodes the pre-command (with or without a trailing `00`),
 * signs it and returns the command's general-signing APDU ‖ `40` ‖ r ‖ s. Throws
 * GbcsDecodeError when the bytes are not a general-signing APDU.
 */
export function signPreCommand(preCommand: Uint8Array, dsPrivateKey: Uint8Array): Uint8Array {
  const decoded = decodeGeneralSigning(preCommand);
  if (decoded.apdu.signature.kind === 'signed') throw new GbcsEncodeError('this APDU is already signed');
  return signPreCommandBytes(preCommand, 1 + decoded.signedBytes.length, dsPrivateKey);
}
