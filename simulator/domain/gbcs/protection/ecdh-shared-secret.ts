import { Buffer } from 'node:buffer';
import { createECDH } from 'node:crypto';
import { GbcsProtectionError } from './protection-error.js';

const PRIVATE_KEY_LENGTH = 32;
const PUBLIC_KEY_LENGTH = 65;
/** The field prime p of P-256, big-endian; a coordinate at or above it is not a field element. */
const P256_P = Buffer.from('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff', 'hex');

/**
 * One ECDH object for every derivation: creating one builds an OpenSSL EC group, ~12 µs of an
 * ~85 µs ECDH (#21). Safe to share because each use is synchronous and sets the private key
 * first; it keeps the last KA private key, which the caller holds anyway.
 */
const p256 = createECDH('prime256v1');

/**
 * ECDH on P-256 between our KA private key and the peer's KA public key: the 32-byte
 * x-coordinate Z of ownPrivateKey × peerPublicKey (SEC 1 §3.3.1, no cofactor: P-256 has h = 1).
 * Symmetric, so sender (own, recipient's public) and receiver (own, sender's public) get the same Z.
 */
export function ecdhSharedSecret(ownPrivateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
  checkPeerPublicKeyEncoding(peerPublicKey);
  if (!(ownPrivateKey instanceof Uint8Array) || ownPrivateKey.length !== PRIVATE_KEY_LENGTH) {
    throw new GbcsProtectionError(
      'GBCS_INVALID_PRIVATE_KEY',
      `own KA private key must be a ${PRIVATE_KEY_LENGTH}-byte P-256 scalar, got ${describeLength(ownPrivateKey)}`,
    );
  }
  try {
    p256.setPrivateKey(ownPrivateKey);
  } catch (cause) {
    throw new GbcsProtectionError(
      'GBCS_INVALID_PRIVATE_KEY',
      'own KA private key is not a valid P-256 scalar (it must be in [1, n - 1])',
      { cause },
    );
  }
  try {
    return new Uint8Array(p256.computeSecret(peerPublicKey));
  } catch (cause) {
    // Coordinates are already known to be field elements, so OpenSSL refused the point because
    // it does not satisfy the curve equation. Accepting it would allow invalid-curve attacks.
    throw new GbcsProtectionError(
      'GBCS_INVALID_PEER_PUBLIC_KEY',
      'peer KA public key is not a point on the P-256 curve (y^2 != x^3 - 3x + b mod p)',
      { cause },
    );
  }
}

/** Length and prefix are checked here, before OpenSSL, so the error says exactly what is wrong. */
function checkPeerPublicKeyEncoding(peerPublicKey: Uint8Array): void {
  if (!(peerPublicKey instanceof Uint8Array) || peerPublicKey.length !== PUBLIC_KEY_LENGTH) {
    throw new GbcsProtectionError(
      'GBCS_INVALID_PEER_PUBLIC_KEY',
      `peer KA public key must be ${PUBLIC_KEY_LENGTH} bytes (uncompressed SEC 1 point 0x04 || X || Y), got ${describeLength(peerPublicKey)}`,
    );
  }
  if (peerPublicKey[0] !== 0x04) {
    // Compressed (0x02/0x03) and hybrid (0x06/0x07) forms are refused: SMKI certificates carry
    // the uncompressed point, and one accepted form means one byte-exact form to test.
    throw new GbcsProtectionError(
      'GBCS_INVALID_PEER_PUBLIC_KEY',
      `peer KA public key must start with 0x04 (uncompressed point), got 0x${hexByte(peerPublicKey[0])}`,
    );
  }
  for (const [name, from] of [
    ['X', 1],
    ['Y', 33],
  ] as const) {
    if (Buffer.compare(peerPublicKey.subarray(from, from + 32), P256_P) >= 0) {
      throw new GbcsProtectionError(
        'GBCS_INVALID_PEER_PUBLIC_KEY',
        `peer KA public key ${name} coordinate is not below the P-256 field prime p`,
      );
    }
  }
}

function hexByte(byte: number | undefined): string {
  return (byte ?? 0).toString(16).padStart(2, '0');
}

function describeLength(value: unknown): string {
  return value instanceof Uint8Array ? `${value.length} bytes` : `a ${typeof value}`;
}
