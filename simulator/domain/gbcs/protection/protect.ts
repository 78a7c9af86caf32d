import { computeMac, verifyMac } from './gcm-mac.js';
import { deriveMacKey, ecdhSharedSecret, type MacKeyContext } from './mac-key-derivation.js';
import type { SharedSecretSource } from './shared-secret-cache.js';

/**
 * The whole MAC path for non-critical commands, responses and alerts (DCC.md §8):
 * ECDH(KA keys) → Z → per-message key (KDF over the context) → GMAC of the protected bytes.
 * The sender passes its own KA private key and the recipient's KA public key; the receiver its
 * own KA private key and the sender's KA public key. ECDH is symmetric, so both get one key.
 *
 * `secrets` lets a caller reuse Z across messages (a `SharedSecretCache`); without it every
 * call runs ECDH afresh. Either way the result is the same bytes.
 */
export function macFor(
  ownPrivateKa: Uint8Array,
  peerPublicKa: Uint8Array,
  context: MacKeyContext,
  protectedBytes: Uint8Array,
  secrets?: SharedSecretSource,
): Uint8Array {
  const z = secrets
    ? secrets.sharedSecret(ownPrivateKa, peerPublicKa)
    : ecdhSharedSecret(ownPrivateKa, peerPublicKa);
  return computeMac(deriveMacKey(z, context), context, protectedBytes);
}

/**
 * True only if `mac` authenticates these bytes from this peer in this context. Never throws:
 * a bad peer key, a malformed context or a wrong-length MAC all mean "reject the message".
 * Anti-replay (counter strictly greater than the last accepted) is the caller's next check, and
 * it must only advance the stored counter after this returns true — else a forged message could
 * burn counters.
 */
export function checkMac(
  ownPrivateKa: Uint8Array,
  peerPublicKa: Uint8Array,
  context: MacKeyContext,
  protectedBytes: Uint8Array,
  mac: Uint8Array,
  secrets?: SharedSecretSource,
): boolean {
  try {
    const z = secrets
      ? secrets.sharedSecret(ownPrivateKa, peerPublicKa)
      : ecdhSharedSecret(ownPrivateKa, peerPublicKa);
    return verifyMac(deriveMacKey(z, context), context, protectedBytes, mac);
  } catch {
    return false;
  }
}
