import { createDecipheriv, createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { euiFromBytes, parseEui } from '../../../../../../simulator/domain/eui.js';
import {
  computeMac,
  gcmIv,
  MAC_LENGTH,
  verifyMac,
} from '../../../../../../simulator/domain/gbcs/protection/gcm-mac.js';
import type { MacKeyContext } from '../../../../../../simulator/domain/gbcs/protection/mac-key-derivation.js';
import type { GbcsMessageKind } from '../../../../../../simulator/domain/gbcs/protection/message-kind.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const eui = fc.uint8Array({ minLength: 8, maxLength: 8 }).map(euiFromBytes);
const context: fc.Arbitrary<MacKeyContext> = fc.record({
  originator: eui,
  recipient: eui,
  kind: fc.constantFrom<GbcsMessageKind>('command', 'response', 'alert'),
  counter: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
});
const key = fc.uint8Array({ minLength: 16, maxLength: 16 });
const bytes = fc.uint8Array({ minLength: 0, maxLength: 300 });

function flipBit(data: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(data);
  const at = Math.floor(bit / 8);
  copy[at] = ((copy[at] ?? 0) ^ (1 << (bit % 8))) & 0xff;
  return copy;
}

const ctx: MacKeyContext = {
  originator: parseEui('90-B3-D5-1F-30-01-00-00'),
  recipient: parseEui('00-DB-12-34-56-78-90-A0'),
  kind: 'command',
  counter: 0x0000_018c_2f5a_3b00n,
};
const someKey = new Uint8Array(createHash('sha256').update('k').digest().subarray(0, 16));

describe('GMAC of the protected bytes (DCC.md §8, PROTECTION.md §5–§6)', () => {
  it('PROTECTION.md §6 - matches the GCM specification (McGrew–Viega test case 1: K = 0, IV = 0, no AAD), tag cut to 12 bytes', () => {
    const zeroContext: MacKeyContext = {
      ...ctx,
      originator: parseEui('00-00-00-00-00-00-00-00'),
      counter: 0n,
    };
    expect(hex(computeMac(new Uint8Array(16), zeroContext, new Uint8Array(0)))).toBe(
      '58e2fccefa7e3061367f1d57',
    );
  });

  it('PROTECTION.md §5 - the IV is the originator EUI followed by the low 4 bytes of the counter, big-endian', () => {
    expect(hex(gcmIv(ctx))).toBe('90b3d51f30010000' + '2f5a3b00');
    expect(hex(gcmIv({ ...ctx, counter: 0xffff_ffff_0000_0001n }))).toBe('90b3d51f30010000' + '00000001');
  });

  it('PROTECTION.md §6 - the MAC is the 12-byte tag that AES-128-GCM decryption of an empty ciphertext accepts', () => {
    fc.assert(
      fc.property(key, context, bytes, (k, c, data) => {
        const mac = computeMac(k, c, data);
        expect(mac.length).toBe(MAC_LENGTH);
        const gcm = createDecipheriv('aes-128-gcm', k, gcmIv(c), { authTagLength: 12 });
        gcm.setAAD(data);
        gcm.setAuthTag(mac);
        expect(() => gcm.final()).not.toThrow();
      }),
      { numRuns: 200 },
    );
  });

  it('DCC.md §8 - a MAC verifies for the untouched protected bytes', () => {
    fc.assert(
      fc.property(key, context, bytes, (k, c, data) => {
        expect(verifyMac(k, c, data, computeMac(k, c, data))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('DCC.md §8 - flipping any single bit of the protected bytes makes the MAC fail', () => {
    fc.assert(
      fc.property(
        key,
        context,
        fc
          .uint8Array({ minLength: 1, maxLength: 300 })
          .chain((data) => fc.tuple(fc.constant(data), fc.nat({ max: data.length * 8 - 1 }))),
        (k, c, [data, bit]) => {
          const mac = computeMac(k, c, data);
          expect(verifyMac(k, c, flipBit(data, bit), mac)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('DCC.md §8 - flipping any single bit of the MAC makes it fail', () => {
    fc.assert(
      fc.property(key, context, bytes, fc.nat({ max: MAC_LENGTH * 8 - 1 }), (k, c, data, bit) => {
        expect(verifyMac(k, c, data, flipBit(computeMac(k, c, data), bit))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('DCC.md §8 - appending or removing bytes makes the MAC fail', () => {
    fc.assert(
      fc.property(key, context, fc.uint8Array({ minLength: 1, maxLength: 100 }), (k, c, data) => {
        const mac = computeMac(k, c, data);
        expect(verifyMac(k, c, data.subarray(0, -1), mac)).toBe(false);
        expect(verifyMac(k, c, Uint8Array.of(...data, 0), mac)).toBe(false);
      }),
    );
  });

  it('PROTECTION.md §6.2 - verifyMac never throws: a MAC or key of the wrong length, or a malformed context, is false', () => {
    const data = Uint8Array.of(1, 2, 3);
    const mac = computeMac(someKey, ctx, data);
    for (const length of [0, 11, 13, 16]) {
      expect(verifyMac(someKey, ctx, data, new Uint8Array(length))).toBe(false);
    }
    expect(verifyMac(someKey, ctx, data, mac.subarray(0, 11))).toBe(false);
    expect(verifyMac(someKey.subarray(0, 15), ctx, data, mac)).toBe(false);
    expect(verifyMac(someKey, { ...ctx, counter: -1n }, data, mac)).toBe(false);
    expect(verifyMac(someKey, ctx, data, undefined as unknown as Uint8Array)).toBe(false);
  });

  it('PROTECTION.md §6 - computeMac refuses a key that is not 16 bytes (GBCS_INVALID_MAC_KEY)', () => {
    for (const length of [0, 15, 24, 32]) {
      expect(() => computeMac(new Uint8Array(length), ctx, new Uint8Array(0))).toThrow(
        expect.objectContaining({
          code: 'GBCS_INVALID_MAC_KEY',
          message: expect.stringContaining(`${length} bytes`),
        }),
      );
    }
  });
});
