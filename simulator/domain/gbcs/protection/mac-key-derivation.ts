import { Buffer } from 'node:buffer';
import { createECDH, createHash } from 'node:crypto';
import type { Eui } from '../../eui.js';
import { encodeCounter, encodeCraFlag, encodeEui } from './context-encoding.js';
import type { GbcsMessageKind } from './message-kind.js';
import { GbcsProtectionError } from './protection-error.js';

/** What a per-message MAC key is bound to (DCC.md §8): who sent it, to whom, what kind, which counter. */
export interface MacKeyContext {
  originator: Eui;
  recipient: Eui;
  kind: GbcsMessageKind;
  /** The originator counter from the message header, uint64. */
  counter: bigint;
}

/**
 * AlgorithmID of the KDF's OtherInfo: the body of the OID 2.16.756.6.8.3.0 (DER content bytes
 * without tag and length). These are the bytes SmartDCCInnovation's gbcs-parser feeds its GBCS
 * KDF; trialsim uses them as a fixed label so a key from this KDF can't collide with any other
 * use of the same shared secret (PROTECTION.md §4.1).
 */
export const KDF_ALGORITHM_ID: readonly number[] = Object.freeze([0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00]);

export const SHARED_SECRET_LENGTH = 32;
export const MAC_KEY_LENGTH = 16;
const PRIVATE_KEY_LENGTH = 32;
const PUBLIC_KEY_LENGTH = 65;
const OTHER_INFO_LENGTH = KDF_ALGORITHM_ID.length + 8 + 1 + 8 + 8;
/** The field prime p of P-256, big-endian; a coordinate at or above it is not a field element. */
const P256_P = Buffer.from('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff', 'hex');
/** The KDF's round counter for its first (and only) iteration, 32-bit big-endian. */
const KDF_COUNTER_1 = Uint8Array.of(0x00, 0x00, 0x00, 0x01);

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
  const ecdh = createECDH('prime256v1');
  try {
    ecdh.setPrivateKey(ownPrivateKey);
  } catch (cause) {
    throw new GbcsProtectionError(
      'GBCS_INVALID_PRIVATE_KEY',
      'own KA private key is not a valid P-256 scalar (it must be in [1, n - 1])',
      { cause },
    );
  }
  try {
    return new Uint8Array(ecdh.computeSecret(peerPublicKey));
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

/**
 * The AES-128 MAC key for one message: NIST SP 800-56A concatenation KDF with SHA-256, one
 * iteration (128 bits needed ≤ 256 produced): SHA-256(0x00000001 || Z || OtherInfo)[0..16).
 * OtherInfo binds originator, kind, counter and recipient, so every message gets its own key
 * even though Z between two parties never changes (DCC.md §8).
 */
export function deriveMacKey(sharedSecret: Uint8Array, context: MacKeyContext): Uint8Array {
  if (!(sharedSecret instanceof Uint8Array) || sharedSecret.length !== SHARED_SECRET_LENGTH) {
    throw new GbcsProtectionError(
      'GBCS_INVALID_SHARED_SECRET',
      `shared secret Z must be ${SHARED_SECRET_LENGTH} bytes, got ${describeLength(sharedSecret)}`,
    );
  }
  const digest = createHash('sha256')
    .update(KDF_COUNTER_1)
    .update(sharedSecret)
    .update(macKdfOtherInfo(context))
    .digest();
  return new Uint8Array(digest.subarray(0, MAC_KEY_LENGTH));
}

/**
 * OtherInfo (32 bytes) = AlgorithmID (7) || PartyUInfo: originator EUI (8) ||
 * PartyVInfo: CRA flag (1) || originator counter, big-endian (8) || recipient EUI (8).
 * Exported so test vectors can show it and a C implementer can compare intermediate bytes.
 */
export function macKdfOtherInfo(context: MacKeyContext): Uint8Array {
  const otherInfo = new Uint8Array(OTHER_INFO_LENGTH);
  let at = 0;
  otherInfo.set(KDF_ALGORITHM_ID, at);
  at += KDF_ALGORITHM_ID.length;
  otherInfo.set(encodeEui(context.originator, 'originator'), at);
  at += 8;
  otherInfo[at] = encodeCraFlag(context.kind);
  at += 1;
  otherInfo.set(encodeCounter(context.counter), at);
  at += 8;
  otherInfo.set(encodeEui(context.recipient, 'recipient'), at);
  return otherInfo;
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
