import { createCipheriv } from 'node:crypto';
import { type Eui, writeEuiBytes } from '../../eui.js';
import type { CraKind } from '../apdu/cra-flag.js';
import { GbcsEncodeError } from '../apdu/gbcs-codec-error.js';
import { MAC_LENGTH } from '../apdu/mac-header.js';
import { eui } from '../apdu/other-information.js';
import { deriveGbcsKeyInPlace, GBCS_KEY_LENGTH } from './gbcs-mac-key.js';

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
  return new Uint8Array(macKeyView(sharedSecret, header));
}

function macKeyView(sharedSecret: Uint8Array, header: MacHeaderFields): Uint8Array {
  return deriveGbcsKeyInPlace(sharedSecret, header.originator, header.cra, header.counter, header.recipient);
}

/** AES-GCM tag prefix over `aad` with no plaintext. */
export function gcmTag(key: Uint8Array, iv: Uint8Array, aad: Uint8Array): Uint8Array {
  if (key.length !== GBCS_KEY_LENGTH) throw new GbcsEncodeError(`a GBCS key is 16 bytes, got ${key.length}`);
  const gcm = createCipheriv('aes-128-gcm', key, iv);
  gcm.setAAD(aad);
  gcm.final();
  return new Uint8Array(gcm.getAuthTag().subarray(0, MAC_LENGTH));
}

/**
 * The IV of the MAC being computed: originator ‖ 00000000, one array for the module (the bytes
 * after the originator stay zero). Safe to share: createCipheriv copies its IV, and a MAC is
 * computed synchronously.
 */
const ivInPlace = new Uint8Array(12);

/**
 * GCM's whole 16-byte tag for a general-signing APDU (`DF` … signature field) under Z; the MAC
 * is its first MAC_LENGTH bytes. The AAD prefix and the APDU (a view into the message) go in as
 * two pieces, not copied together first: GCM takes its AAD in any number of pieces, and the tag
 * is the same as for their concatenation.
 */
function gbcsMacTag(sharedSecret: Uint8Array, header: MacHeaderFields, generalSigning: Uint8Array): Buffer {
  const key = macKeyView(sharedSecret, header);
  writeEuiBytes(header.originator, ivInPlace, 0); // checked by the KDF, which has just written it
  const gcm = createCipheriv('aes-128-gcm', key, ivInPlace); // GCM's tag is 16 bytes unless told otherwise
  gcm.setAAD(AAD_PREFIX);
  gcm.setAAD(generalSigning);
  gcm.final();
  return gcm.getAuthTag();
}

/** The 12-byte MAC of a general-signing APDU (`DF` … signature field) under Z. */
export function computeGbcsMac(
  sharedSecret: Uint8Array,
  header: MacHeaderFields,
  generalSigning: Uint8Array,
): Uint8Array {
  return new Uint8Array(gbcsMacTag(sharedSecret, header, generalSigning).subarray(0, MAC_LENGTH));
}

/** computeGbcsMac's 12 bytes written at `at` in `out`: the MAC header's last field, in place. */
export function writeGbcsMac(
  sharedSecret: Uint8Array,
  header: MacHeaderFields,
  generalSigning: Uint8Array,
  out: Uint8Array,
  at: number,
): void {
  const tag = gbcsMacTag(sharedSecret, header, generalSigning);
  for (let i = 0; i < MAC_LENGTH; i++) out[at + i] = tag[i] as number;
}

/**
 * Constant-time comparison; never throws. Every byte is compared whatever the first difference
 * (the XORs are OR-ed together, no early exit), as timingSafeEqual would, without the copy of
 * the tag's first 12 bytes it needs to have two arrays of one length.
 */
export function gbcsMacMatches(
  sharedSecret: Uint8Array,
  header: MacHeaderFields,
  generalSigning: Uint8Array,
  mac: Uint8Array,
): boolean {
  try {
    if (mac.length !== MAC_LENGTH) return false;
    const tag = gbcsMacTag(sharedSecret, header, generalSigning);
    let difference = 0;
    for (let i = 0; i < MAC_LENGTH; i++) difference |= (tag[i] as number) ^ (mac[i] as number);
    return difference === 0;
  } catch {
    return false;
  }
}
