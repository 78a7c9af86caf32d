import { createECDH, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { seedBytes } from '../seed/seed-derivation.js';
import { isUncompressedP256Point, P256_SCALAR_LENGTH, p256Spki } from './key-encoding.js';
import { signRfc6979 } from './rfc6979-ecdsa.js';

/** A P-256 key pair as GBCS carries keys: raw bytes, no ASN.1. */
export interface KeyPair {
  /** 32-byte big-endian scalar in [1, n-1]. */
  readonly privateKey: Uint8Array;
  /** 65-byte uncompressed SEC1 point (0x04 ‖ X ‖ Y). */
  readonly publicKey: Uint8Array;
}

const SIGNATURE_LENGTH = 64;

/**
 * The key for `label` under `seed`: seed material (seed-derivation.ts) for label ‖ counter,
 * retried with the next counter until the 32 bytes are a valid scalar in [1, n-1].
 *
 * Why rejection rather than reducing mod n: it keeps the scalar uniform with no argument needed,
 * and for P-256 a retry happens with probability ≈ 2^-32, so it costs nothing. Using the seed as
 * the HMAC key and the label as the message keeps (seed, label) pairs from colliding however
 * either is spelled. The public key comes from node:crypto's ECDH (native, ~10× noble's speed).
 */
export function deriveKeyPair(seed: string, label: string): KeyPair {
  for (let counter = 0; ; counter++) {
    const candidate = seedBytes(seed, 'pki/key', `${label}\u0000${counter}`);
    if (!p256.utils.isValidSecretKey(candidate)) continue;
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(candidate);
    return { privateKey: Uint8Array.from(candidate), publicKey: Uint8Array.from(ecdh.getPublicKey()) };
  }
}

/**
 * ECDSA P-256 over SHA-256(message), 64 bytes r ‖ s (the GBCS form).
 *
 * k comes from RFC 6979, so the same key and message always give the same signature — that is
 * what makes certificates and evidence byte-reproducible (node:crypto's ECDSA is randomised).
 * `lowS: false` keeps plain RFC 6979 output, checkable against the RFC's test vectors; GBCS and
 * X.509 verifiers accept either half of the s range, so normalising s would buy nothing.
 */
export function signDeterministic(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  if (privateKey.length !== P256_SCALAR_LENGTH) {
    throw new RangeError(`a P-256 private key is ${P256_SCALAR_LENGTH} bytes, got ${privateKey.length}`);
  }
  // Same bytes as noble's p256.sign(message, privateKey, { prehash: true, lowS: false }), ~10× faster.
  return signRfc6979(message, privateKey);
}

/**
 * KeyObjects by public key (hex). A verifier checks many messages from few parties, and building
 * a KeyObject costs about as much as the verification itself. Bounded so a run that sees many
 * device keys cannot grow it without limit; Map order makes the first key the oldest.
 */
const KEY_OBJECT_CACHE_LIMIT = 1024;
const keyObjects = new Map<string, KeyObject>();

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const id = Buffer.from(publicKey).toString('hex');
  const cached = keyObjects.get(id);
  if (cached) return cached;
  // Throws for a point not on the curve; verifySignature turns that into `false`.
  const key = createPublicKey({ key: Buffer.from(p256Spki(publicKey)), format: 'der', type: 'spki' });
  if (keyObjects.size >= KEY_OBJECT_CACHE_LIMIT) {
    const oldest = keyObjects.keys().next().value;
    if (oldest !== undefined) keyObjects.delete(oldest);
  }
  keyObjects.set(id, key);
  return key;
}

/**
 * True only when `signature` (64 bytes r ‖ s) is a valid ECDSA P-256/SHA-256 signature of
 * `message` by `publicKey`. Never throws: a receiver must treat garbage as "not verified", not crash.
 */
export function verifySignature(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    if (!(message instanceof Uint8Array) || !(signature instanceof Uint8Array)) return false;
    if (!(publicKey instanceof Uint8Array) || !isUncompressedP256Point(publicKey)) return false;
    if (signature.length !== SIGNATURE_LENGTH) return false;
    return verify(
      'sha256',
      message,
      { key: publicKeyObject(publicKey), dsaEncoding: 'ieee-p1363' },
      signature,
    );
  } catch {
    return false;
  }
}
