import { p256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifySignature } from '../../../../../simulator/domain/smki/key-pair.js';
import { signRfc6979 } from '../../../../../simulator/domain/smki/rfc6979-ecdsa.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('RFC 6979 ECDSA on node:crypto (the fast path behind signDeterministic)', () => {
  it('RFC 6979 - gives exactly the bytes noble gives, for any key and message', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((key) => p256.utils.isValidSecretKey(key)),
        fc.uint8Array({ maxLength: 512 }),
        (key, message) => {
          const fast = signRfc6979(message, key);
          const noble = p256.sign(message, key, { prehash: true, lowS: false, format: 'compact' });
          expect(hex(fast)).toBe(hex(noble));
          expect(verifySignature(message, fast, p256.getPublicKey(key, false))).toBe(true);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('RFC 6979 - matches at the edges of the scalar range (d = 1, d = n - 1)', () => {
    const n = p256.Point.Fn.ORDER;
    for (const d of [1n, n - 1n]) {
      const key = Uint8Array.from(Buffer.from(d.toString(16).padStart(64, '0'), 'hex'));
      const message = new TextEncoder().encode('edge');
      expect(hex(signRfc6979(message, key))).toBe(
        hex(p256.sign(message, key, { prehash: true, lowS: false, format: 'compact' })),
      );
    }
  });

  it('refuses a scalar outside [1, n - 1] rather than signing with it', () => {
    expect(() => signRfc6979(new Uint8Array(4), new Uint8Array(32))).toThrow(RangeError);
    expect(() => signRfc6979(new Uint8Array(4), new Uint8Array(32).fill(0xff))).toThrow(RangeError);
  });
});
