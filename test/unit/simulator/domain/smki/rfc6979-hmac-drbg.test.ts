import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rfc6979HmacDrbg } from '../../../../../simulator/domain/smki/rfc6979-hmac-drbg.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** RFC 6979 §3.2 written out on createHmac, step by step: the reference the fast DRBG must equal. */
class ReferenceDrbg {
  private k: Buffer = Buffer.alloc(32, 0x00);
  private v: Buffer = Buffer.alloc(32, 0x01);

  constructor(privateKey: Uint8Array, hashOctets: Uint8Array) {
    this.k = this.hmac(this.v, Uint8Array.of(0x00), privateKey, hashOctets);
    this.v = this.hmac(this.v);
    this.k = this.hmac(this.v, Uint8Array.of(0x01), privateKey, hashOctets);
    this.v = this.hmac(this.v);
  }

  candidate(): Buffer {
    this.v = this.hmac(this.v);
    return this.v;
  }

  reject(): void {
    this.k = this.hmac(this.v, Uint8Array.of(0x00));
    this.v = this.hmac(this.v);
  }

  private hmac(...parts: Uint8Array[]): Buffer {
    const mac = createHmac('sha256', this.k);
    for (const part of parts) mac.update(part);
    return mac.digest();
  }
}

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('RFC 6979 HMAC_DRBG (HMAC-SHA-256 by hand)', () => {
  it('RFC 6979 - gives the candidates createHmac gives, through any number of step h.3 rejections', () => {
    const drbg = new Rfc6979HmacDrbg();
    fc.assert(
      fc.property(bytes32, bytes32, fc.nat(4), (privateKey, hashOctets, rejections) => {
        drbg.seed(privateKey, hashOctets);
        const reference = new ReferenceDrbg(privateKey, hashOctets);
        expect(hex(drbg.candidate())).toBe(hex(reference.candidate()));
        for (let i = 0; i < rejections; i++) {
          drbg.reject();
          reference.reject();
          expect(hex(drbg.candidate())).toBe(hex(reference.candidate()));
        }
      }),
      { seed: 6979, numRuns: 300 },
    );
  });

  it('starts afresh on each seed: a reused DRBG gives what a new one gives', () => {
    const key = new Uint8Array(32).fill(7);
    const hash = new Uint8Array(32).fill(9);
    const fresh = new Rfc6979HmacDrbg();
    fresh.seed(key, hash);
    const reused = new Rfc6979HmacDrbg();
    reused.seed(hash, key);
    reused.reject();
    reused.seed(key, hash);
    expect(hex(reused.candidate())).toBe(hex(fresh.candidate()));
  });

  it('refuses a seed of the wrong size rather than MACing part of it', () => {
    const drbg = new Rfc6979HmacDrbg();
    expect(() => drbg.seed(new Uint8Array(31), new Uint8Array(32))).toThrow(RangeError);
    expect(() => drbg.seed(new Uint8Array(32), new Uint8Array(33))).toThrow(RangeError);
  });
});
