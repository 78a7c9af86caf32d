import { createECDH } from 'node:crypto';
import { modularInverse } from './modular-inverse.js';
import { Rfc6979HmacDrbg } from './rfc6979-hmac-drbg.js';
import { sha256 } from './sha256.js';

/**
 * ECDSA P-256/SHA-256 with RFC 6979 deterministic k, on node:crypto's native primitives.
 *
 * Why: @noble/curves does the same in pure JavaScript at ~0.45 ms a signature (STACK.md: node
 * signs in ~0.03 ms, but only with a random k). The point multiplication k·G is the expensive
 * part, and node's ECDH computes it natively: with k as the "private key", the public key IS k·G.
 * The HMAC-DRBG is HMAC-SHA-256 by hand (rfc6979-hmac-drbg.ts: native HMAC objects cost more
 * than the hashing); the final s = k⁻¹(h + r·d) mod n is BigInt, with k⁻¹ from
 * Lehmer's algorithm (modular-inverse.ts), a third of the textbook Euclid's cost. The output is
 * bit-for-bit what noble's `p256.sign(msg, key, { prehash: true, lowS: false })` gives
 * (test/unit/simulator/domain/smki/rfc6979-ecdsa.test.ts checks it against noble on random keys
 * and messages, and key-pair.test.ts beside it against the RFC 6979 vectors).
 */

/** The order n of the P-256 base point. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const BYTES = 32;

/**
 * One ECDH object for every k·G: creating one builds an OpenSSL EC group, ~12 µs, as much as the
 * multiplication itself. Safe to share because signing is synchronous; it keeps the last nonce,
 * which is no more secret than the private key the caller holds.
 */
const nonceTimesG = createECDH('prime256v1');

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') || '0'}`);
}

function toBytes(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(BYTES * 2, '0'), 'hex');
}

/** The DRBG for every signature: seeded afresh by each, and signing is synchronous. */
const drbg = new Rfc6979HmacDrbg();

/** 64 bytes r ‖ s. `privateKey` must already be a valid scalar (the caller checks its length). */
export function signRfc6979(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const d = toBigInt(privateKey);
  if (d <= 0n || d >= N) throw new RangeError('a P-256 private key must be in [1, n - 1]');
  // bits2int(SHA-256(m)) needs no shift for a 256-bit hash and a 256-bit n; then reduce mod n.
  // int2octets(x) is the key's own 32 bytes (d < n); bits2octets(h1) the digest's unless it was
  // at or above n (a chance of about 2^-32), so neither needs converting back from a BigInt.
  const digest = sha256(message);
  let h = toBigInt(digest);
  let hashOctets: Uint8Array = digest;
  if (h >= N) {
    h -= N; // h < 2^256 < 2n
    hashOctets = toBytes(h);
  }
  drbg.seed(privateKey, hashOctets); // RFC 6979 §3.2 steps b–g
  for (;;) {
    const v = drbg.candidate();
    const nonce = toBigInt(v);
    if (nonce >= 1n && nonce < N) {
      nonceTimesG.setPrivateKey(v);
      const point = nonceTimesG.getPublicKey(); // 0x04 ‖ X ‖ Y of nonce·G
      const r = toBigInt(point.subarray(1, 1 + BYTES)) % N;
      if (r !== 0n) {
        const s = (modularInverse(nonce, N) * ((h + r * d) % N)) % N;
        if (s !== 0n) {
          const signature = new Uint8Array(2 * BYTES);
          signature.set(toBytes(r), 0);
          signature.set(toBytes(s), BYTES);
          return signature;
        }
      }
    }
    // Step h.3: a candidate was out of range or gave r or s = 0; move the generator on.
    drbg.reject();
  }
}
