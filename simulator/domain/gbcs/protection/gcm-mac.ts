import { createCipheriv, timingSafeEqual } from 'node:crypto';
import { encodeCounter, encodeEui } from './context-encoding.js';
import { MAC_KEY_LENGTH, type MacKeyContext } from './mac-key-derivation.js';
import { GbcsProtectionError } from './protection-error.js';

/** GBCS MACs are 12-byte GCM tags (DCC.md §8: AES-128-GCM, 12-byte tag). */
export const MAC_LENGTH = 12;
export const IV_LENGTH = 12;

/**
 * The GCM IV: originator EUI (8) || low 4 bytes of the originator counter, big-endian (4).
 * The IV needs only to be unique per key; the key is already unique per (originator,
 * recipient, kind, full 64-bit counter), so the truncated counter costs nothing.
 */
export function gcmIv(context: Pick<MacKeyContext, 'originator' | 'counter'>): Uint8Array {
  const iv = new Uint8Array(IV_LENGTH);
  iv.set(encodeEui(context.originator, 'originator'), 0);
  iv.set(encodeCounter(context.counter).subarray(4, 8), 8);
  return iv;
}

/**
 * GMAC: AES-128-GCM over an empty plaintext with the protected bytes as AAD; the MAC is the
 * 12-byte tag. `key` must be `deriveMacKey(Z, context)` for this same context: the IV uses only
 * the originator and the low 32 bits of the counter, so the key is what binds kind, recipient
 * and the full counter. An originator must never MAC two different byte strings under one
 * context: GCM with a repeated (key, IV) leaks the hash key and lets anyone forge tags.
 */
export function computeMac(key: Uint8Array, context: MacKeyContext, protectedBytes: Uint8Array): Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== MAC_KEY_LENGTH) {
    throw new GbcsProtectionError(
      'GBCS_INVALID_MAC_KEY',
      `MAC key must be ${MAC_KEY_LENGTH} bytes (AES-128), got ${key instanceof Uint8Array ? `${key.length} bytes` : typeof key}`,
    );
  }
  const gcm = createCipheriv('aes-128-gcm', key, gcmIv(context), { authTagLength: MAC_LENGTH });
  gcm.setAAD(protectedBytes);
  gcm.final();
  return new Uint8Array(gcm.getAuthTag());
}

/**
 * True only if `mac` is the MAC of exactly these bytes under this key and context. Never throws:
 * a receiver treats any malformed input as "does not verify". The comparison is constant-time
 * so response timing reveals nothing about how many tag bytes were right.
 */
export function verifyMac(
  key: Uint8Array,
  context: MacKeyContext,
  protectedBytes: Uint8Array,
  mac: Uint8Array,
): boolean {
  try {
    if (!(mac instanceof Uint8Array) || mac.length !== MAC_LENGTH) return false;
    return timingSafeEqual(computeMac(key, context, protectedBytes), mac);
  } catch {
    return false;
  }
}
