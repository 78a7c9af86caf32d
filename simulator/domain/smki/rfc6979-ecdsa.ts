import { createECDH, createHash, createHmac } from 'node:crypto';

/**
 * ECDSA P-256/SHA-256 with RFC 6979 deterministic k, on node:crypto's native primitives.
 *
 * Why: @noble/curves does the same in pure JavaScript at ~0.45 ms a signature (STACK.md: node
 * signs in ~0.03 ms, but only with a random k). The point multiplication k·G is the expensive
 * part, and node's ECDH computes it natively: with k as the "private key", the public key IS k·G.
 * The HMAC-DRBG and the final s = k⁻¹(h + r·d) mod n are a few µs. The output is bit-for-bit
 * what noble's `p256.sign(msg, key, { prehash: true, lowS: false })` gives (test/unit/simulator/domain/smki/rfc6979-ecdsa.test.ts checks it
 * against noble on random keys and messages, and key-pair.test.ts beside it against the RFC 6979 vectors).
 */

/** The order n of the P-256 base point. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const BYTES = 32;

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex') || '0'}`);
}

function toBytes(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(BYTES * 2, '0'), 'hex');
}

/** a⁻¹ mod N by the extended Euclidean algorithm (N is prime and 0 < a < N). */
function invertModN(a: bigint): bigint {
  let [r0, r1] = [N, a];
  let [t0, t1] = [0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return t0 < 0n ? t0 + N : t0;
}

/** 64 bytes r ‖ s. `privateKey` must already be a valid scalar (the caller checks its length). */
export function signRfc6979(message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  const d = toBigInt(privateKey);
  if (d <= 0n || d >= N) throw new RangeError('a P-256 private key must be in [1, n - 1]');
  // bits2int(SHA-256(m)) needs no shift for a 256-bit hash and a 256-bit n; then reduce mod n.
  const h = toBigInt(createHash('sha256').update(message).digest()) % N;
  const seed = Buffer.concat([toBytes(d), toBytes(h)]);
  const hmac = (key: Buffer, ...parts: Uint8Array[]) => {
    const mac = createHmac('sha256', key);
    for (const part of parts) mac.update(part);
    return mac.digest();
  };
  // RFC 6979 §3.2 steps b–g.
  let v = Buffer.alloc(BYTES, 0x01);
  let k = Buffer.alloc(BYTES, 0x00);
  k = hmac(k, v, Uint8Array.of(0x00), seed);
  v = hmac(k, v);
  k = hmac(k, v, Uint8Array.of(0x01), seed);
  v = hmac(k, v);
  const ecdh = createECDH('prime256v1');
  for (;;) {
    v = hmac(k, v);
    const nonce = toBigInt(v);
    if (nonce >= 1n && nonce < N) {
      ecdh.setPrivateKey(v);
      const point = ecdh.getPublicKey(); // 0x04 ‖ X ‖ Y of nonce·G
      const r = toBigInt(point.subarray(1, 1 + BYTES)) % N;
      if (r !== 0n) {
        const s = (invertModN(nonce) * ((h + r * d) % N)) % N;
        if (s !== 0n) return Uint8Array.from(Buffer.concat([toBytes(r), toBytes(s)]));
      }
    }
    // Step h.3: a candidate was out of range or gave r or s = 0; move the generator on.
    k = hmac(k, v, Uint8Array.of(0x00));
    v = hmac(k, v);
  }
}
