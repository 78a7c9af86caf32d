import { compressSha256Block, SHA256_INITIAL_STATE } from './sha256-block.js';

/**
 * RFC 6979 §3.2's HMAC_DRBG for HMAC-SHA-256 and a 256-bit group order (P-256: qlen = hlen, so
 * one V is one candidate k), with HMAC (RFC 2104) over the SHA-256 compression by hand.
 *
 * Why not createHmac: each call builds an HMAC object natively, ~3 µs, and a signature needs
 * five, half its cost beyond node's own ECDSA sign (#21). Here each HMAC key's two pad blocks are
 * compressed once and reused for every message under that key (the initial all-zero K's once
 * for the module), so the five HMACs are 16 compressions in JavaScript, none crossing into C++.
 * rfc6979-hmac-drbg.test.ts checks every step against createHmac.
 */

const BYTES = 32;
const IPAD = 0x36363636;
const OPAD = 0x5c5c5c5c;
/** V ‖ 00/01 ‖ int2octets(x) ‖ bits2octets(h1): the longest message the DRBG MACs (steps d and f). */
const SEEDED_MESSAGE_LENGTH = BYTES + 1 + 2 * BYTES;

/** Scratch for one block of message words: every use is synchronous. */
const block = new Int32Array(16);

/** The state after compressing the 64-byte block (K ‖ 00 …) ⊕ pad, for a 32-byte K as 8 words. */
function padState(key: Int32Array, pad: number, out: Int32Array): void {
  for (let i = 0; i < 8; i++) block[i] = (key[i] as number) ^ pad;
  for (let i = 8; i < 16; i++) block[i] = pad;
  out.set(SHA256_INITIAL_STATE);
  compressSha256Block(out, block);
}

const ZERO_KEY = new Int32Array(8);
const ZERO_KEY_INNER = new Int32Array(8);
const ZERO_KEY_OUTER = new Int32Array(8);
padState(ZERO_KEY, IPAD, ZERO_KEY_INNER);
padState(ZERO_KEY, OPAD, ZERO_KEY_OUTER);

/** Byte `i` of `bytes[0 … length)` followed by SHA-256's padding (80, zeros): the bit length goes last, apart. */
function paddedByte(bytes: Uint8Array, length: number, i: number): number {
  return i < length ? (bytes[i] as number) : i === length ? 0x80 : 0;
}

export class Rfc6979HmacDrbg {
  /** V in [0, 32), then the separator and the seed: steps d and f MAC all of it, e, g and h only V. */
  private readonly message = new Uint8Array(SEEDED_MESSAGE_LENGTH);
  private readonly key = new Int32Array(8);
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  /** The inner hash's running state, then the digest. */
  private readonly running = new Int32Array(8);

  /**
   * Steps b–g: V = 01 … 01, K = 00 … 00, then K and V twice updated with `privateKey`
   * (int2octets(x), 32 bytes) and `hashOctets` (bits2octets(h1), 32 bytes).
   */
  seed(privateKey: Uint8Array, hashOctets: Uint8Array): void {
    if (privateKey.length !== BYTES || hashOctets.length !== BYTES) {
      throw new RangeError('RFC 6979 for P-256 seeds with a 32-byte key and a 32-byte hash');
    }
    this.message.fill(0x01, 0, BYTES);
    this.message.set(privateKey, BYTES + 1);
    this.message.set(hashOctets, 2 * BYTES + 1);
    this.message[BYTES] = 0x00;
    this.hmacInto(ZERO_KEY_INNER, ZERO_KEY_OUTER, SEEDED_MESSAGE_LENGTH, this.key); // d
    this.rekey();
    this.updateV(); // e
    this.message[BYTES] = 0x01;
    this.hmacInto(this.inner, this.outer, SEEDED_MESSAGE_LENGTH, this.key); // f
    this.rekey();
    this.updateV(); // g
  }

  /** Steps h.1–h.2: V = HMAC_K(V), which is the candidate k (T = V, as qlen = hlen). A view, valid until the next call. */
  candidate(): Uint8Array {
    this.updateV();
    return this.message.subarray(0, BYTES);
  }

  /** Step h.3, after a candidate out of [1, n - 1] (or giving r or s = 0): K = HMAC_K(V ‖ 00), V = HMAC_K(V). */
  reject(): void {
    this.message[BYTES] = 0x00;
    this.hmacInto(this.inner, this.outer, BYTES + 1, this.key);
    this.rekey();
    this.updateV();
  }

  private rekey(): void {
    padState(this.key, IPAD, this.inner);
    padState(this.key, OPAD, this.outer);
  }

  /** V = HMAC_K(V), written back over V. */
  private updateV(): void {
    this.hmacInto(this.inner, this.outer, BYTES, this.running);
    const v = this.message;
    for (let i = 0; i < 8; i++) {
      const word = this.running[i] as number;
      v[4 * i] = word >>> 24;
      v[4 * i + 1] = word >>> 16;
      v[4 * i + 2] = word >>> 8;
      v[4 * i + 3] = word;
    }
  }

  /** HMAC under the key whose pad states are `inner` and `outer`, of message[0 … length), as 8 words into `out`. */
  private hmacInto(inner: Int32Array, outer: Int32Array, length: number, out: Int32Array): void {
    const running = this.running;
    running.set(inner);
    // After the 64-byte pad block: the message, 80, zeros, and the bit length in the last word.
    const blocks = Math.ceil((length + 9) / 64);
    for (let b = 0; b < blocks; b++) {
      for (let w = 0; w < 16; w++) {
        const i = 64 * b + 4 * w;
        block[w] =
          (paddedByte(this.message, length, i) << 24) |
          (paddedByte(this.message, length, i + 1) << 16) |
          (paddedByte(this.message, length, i + 2) << 8) |
          paddedByte(this.message, length, i + 3);
      }
      if (b === blocks - 1) block[15] = (64 + length) * 8;
      compressSha256Block(running, block);
    }
    for (let i = 0; i < 8; i++) block[i] = running[i] as number;
    block[8] = 0x80000000 | 0;
    block.fill(0, 9, 15);
    block[15] = (64 + BYTES) * 8;
    out.set(outer);
    compressSha256Block(out, block);
  }
}
