import { createCipheriv, timingSafeEqual } from 'node:crypto';
import type { Eui } from '../../eui.js';
import type { CraKind } from '../apdu/cra-flag.js';
import { GbcsEncodeError } from '../apdu/gbcs-codec-error.js';
import { encodeTransactionId } from '../apdu/general-signing.js';
import { MAC_LENGTH } from '../apdu/mac-header.js';
import { eui } from '../apdu/other-information.js';
import { deriveGbcsKey, GBCS_KEY_LENGTH, gbcsKdfOtherInfo } from './gbcs-mac-key.js';

/**
 * The GBCS MAC (GBCS.md §4.2 steps 4–5): AES-128-GCM with an empty plaintext, IV = originator
 * system title ‖ 00000000, AAD = 11 00 00 00 00 00 ‖ the whole general-signing APDU (signature
 * field included); the MAC is the first 12 bytes of the tag.
 */

/** The header fields the MAC key is bound to. */
export interface MacHeaderFields {
  readonly cra: CraKind;
  readonly counter: bigint;
  readonly originator: Eui;
  readonly recipient: Eui;
}

/** Security control `11` and five zero bytes (why six: UNCONFIRMED; it reproduces every RTDS MAC). */
const AAD_PREFIX = Uint8Array.of(0x11, 0, 0, 0, 0, 0);

export function gbcsMacIv(originator: Eui): Uint8Array {
  const iv = new Uint8Array(12);
  iv.set(eui(originator), 0);
  return iv;
}

export function gbcsMacAad(generalSigning: Uint8Array): Uint8Array {
  const aad = new Uint8Array(AAD_PREFIX.length + generalSigning.length);
  aad.set(AAD_PREFIX, 0);
  aad.set(generalSigning, AAD_PREFIX.length);
  return aad;
}

/** The per-message key: the KDF over this message's originator, transaction-id and recipient. */
export function gbcsMacKey(sharedSecret: Uint8Array, header: MacHeaderFields): Uint8Array {
  const otherInfo = gbcsKdfOtherInfo(
    header.originator,
    encodeTransactionId(header.cra, header.counter),
    header.recipient,
  );
  return deriveGbcsKey(sharedSecret, otherInfo);
}

/** AES-GCM tag prefix over `aad` with no plaintext. */
export function gcmTag(key: Uint8Array, iv: Uint8Array, aad: Uint8Array): Uint8Array {
  return gcmTagOver(key, iv, [aad]);
}

/**
 * The tag over the AAD given in parts, so the MAC's AAD prefix and the APDU (a view into the
 * message) go in without being copied together first: GCM takes its AAD in any number of
 * pieces, and the tag is the same as for their concatenation.
 */
function gcmTagOver(key: Uint8Array, iv: Uint8Array, aad: readonly Uint8Array[]): Uint8Array {
  if (key.length !== GBCS_KEY_LENGTH) throw new GbcsEncodeError(`a GBCS key is 16 bytes, got ${key.length}`);
  const gcm = createCipheriv('aes-128-gcm', key, iv); // GCM's tag is 16 bytes unless told otherwise
  for (const part of aad) gcm.setAAD(part);
  gcm.final();
  return new Uint8Array(gcm.getAuthTag().subarray(0, MAC_LENGTH));
}

/** The 12-byte MAC of a general-signing APDU (`DF` … signature field) under Z. */
export function computeGbcsMac(
  sharedSecret: Uint8Array,
  header: MacHeaderFields,
  generalSigning: Uint8Array,
): Uint8Array {
  return gcmTagOver(gbcsMacKey(sharedSecret, header), gbcsMacIv(header.originator), [
    AAD_PREFIX,
    generalSigning,
  ]);
}

/** Constant-time comparison; never throws. */
export function gbcsMacMatches(
  sharedSecret: Uint8Array,
  header: MacHeaderFields,
  generalSigning: Uint8Array,
  mac: Uint8Array,
): boolean {
  try {
    if (mac.length !== MAC_LENGTH) return false;
    return timingSafeEqual(computeGbcsMac(sharedSecret, header, generalSigning), mac);
  } catch {
    return false;
  }
}
