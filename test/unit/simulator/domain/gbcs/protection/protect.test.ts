import { createECDH, createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { euiFromBytes, parseEui } from '../../../../../../simulator/domain/eui.js';
import { MAC_LENGTH } from '../../../../../../simulator/domain/gbcs/protection/gcm-mac.js';
import {
  ecdhSharedSecret,
  type MacKeyContext,
} from '../../../../../../simulator/domain/gbcs/protection/mac-key-derivation.js';
import type { GbcsMessageKind } from '../../../../../../simulator/domain/gbcs/protection/message-kind.js';
import { checkMac, macFor } from '../../../../../../simulator/domain/gbcs/protection/protect.js';
import { GbcsProtectionError } from '../../../../../../simulator/domain/gbcs/protection/protection-error.js';
import { SharedSecretCache } from '../../../../../../simulator/domain/gbcs/protection/shared-secret-cache.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

function kaKeyPair(seed: Uint8Array | string) {
  const privateKey = new Uint8Array(createHash('sha256').update(seed).digest());
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  return { privateKey, publicKey: new Uint8Array(ecdh.getPublicKey()) };
}

const supplierKa = kaKeyPair('test supplier ka');
const esmeKa = kaKeyPair('test esme ka');
const otherKa = kaKeyPair('test other ka');

const eui = fc.uint8Array({ minLength: 8, maxLength: 8 }).map(euiFromBytes);
const kinds: GbcsMessageKind[] = ['command', 'response', 'alert'];
const kind = fc.constantFrom(...kinds);
const counter = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const context: fc.Arbitrary<MacKeyContext> = fc.record({ originator: eui, recipient: eui, kind, counter });
const bytes = fc.uint8Array({ minLength: 0, maxLength: 200 });

const ctx: MacKeyContext = {
  originator: parseEui('90-B3-D5-1F-30-01-00-00'),
  recipient: parseEui('00-DB-12-34-56-78-90-A0'),
  kind: 'command',
  counter: 42n,
};
const data = Uint8Array.of(0xde, 0xad, 0xbe, 0xef);

/** Peer public keys that must be refused, and what the error must say. */
function invalidPeerKeys(): [string, Uint8Array, RegExp][] {
  const good = esmeKa.publicKey;
  const offCurve = Uint8Array.from(good);
  offCurve[64] = ((offCurve[64] ?? 0) ^ 1) & 0xff;
  const p = fromHex('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff');
  const xIsP = Uint8Array.from(good);
  xIsP.set(p, 1);
  const yIsP = Uint8Array.from(good);
  yIsP.set(p, 33);
  const hybrid = Uint8Array.from(good);
  hybrid[0] = 0x06 + ((good[64] ?? 0) & 1);
  return [
    ['empty', new Uint8Array(0), /must be 65 bytes .*got 0 bytes/],
    ['64 bytes (no 0x04 prefix)', good.subarray(1), /must be 65 bytes .*got 64 bytes/],
    ['66 bytes', Uint8Array.of(...good, 0), /must be 65 bytes .*got 66 bytes/],
    [
      'compressed (33 bytes)',
      Uint8Array.of(0x02 + ((good[64] ?? 0) & 1), ...good.subarray(1, 33)),
      /got 33 bytes/,
    ],
    ['hybrid prefix 0x06/0x07', hybrid, /must start with 0x04 .*got 0x0[67]/],
    ['all zero (65 bytes)', new Uint8Array(65), /must start with 0x04 .*got 0x00/],
    ['Y with one bit flipped: not on the curve', offCurve, /not a point on the P-256 curve/],
    ['X = p', xIsP, /X coordinate is not below the P-256 field prime p/],
    ['Y = p', yIsP, /Y coordinate is not below the P-256 field prime p/],
  ];
}

describe('MAC protection end to end (DCC.md §8, PROTECTION.md)', () => {
  it('DCC.md §8 - a MAC made with (sender private, recipient public) verifies with (recipient private, sender public)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        context,
        bytes,
        (senderSeed, recipientSeed, c, message) => {
          const sender = kaKeyPair(senderSeed);
          const recipient = kaKeyPair(recipientSeed);
          const mac = macFor(sender.privateKey, recipient.publicKey, c, message);
          expect(mac.length).toBe(MAC_LENGTH);
          expect(checkMac(recipient.privateKey, sender.publicKey, c, message, mac)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('DCC.md §8 - a MAC checked under a different counter, kind, originator or recipient fails', () => {
    const changed = fc.oneof(
      counter.map((value) => ({ counter: value })),
      kind.map((value) => ({ kind: value })),
      eui.map((value) => ({ originator: value })),
      eui.map((value) => ({ recipient: value })),
    );
    fc.assert(
      fc.property(context, changed, bytes, (c, change, message) => {
        const other: MacKeyContext = { ...c, ...change };
        fc.pre(JSON.stringify(other, stringifyBigint) !== JSON.stringify(c, stringifyBigint));
        const mac = macFor(supplierKa.privateKey, esmeKa.publicKey, c, message);
        expect(checkMac(esmeKa.privateKey, supplierKa.publicKey, other, message, mac)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('DCC.md §8 - a counter differing only above the low 32 bits (not in the IV) still fails, because the key binds all 64', () => {
    const mac = macFor(supplierKa.privateKey, esmeKa.publicKey, ctx, data);
    const sameLowWord = { ...ctx, counter: ctx.counter + 2n ** 32n };
    expect(checkMac(esmeKa.privateKey, supplierKa.publicKey, sameLowWord, data, mac)).toBe(false);
  });

  it('DCC.md §8 - flipping any single bit of the protected bytes or of the MAC fails', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.nat(),
        fc.boolean(),
        (message, bitSeed, flipInMac) => {
          const mac = macFor(supplierKa.privateKey, esmeKa.publicKey, ctx, message);
          const target = flipInMac ? mac : message;
          const tampered = Uint8Array.from(target);
          const bit = bitSeed % (target.length * 8);
          const at = Math.floor(bit / 8);
          tampered[at] = ((tampered[at] ?? 0) ^ (1 << (bit % 8))) & 0xff;
          const [checkedBytes, checkedMac] = flipInMac ? [message, tampered] : [tampered, mac];
          expect(checkMac(esmeKa.privateKey, supplierKa.publicKey, ctx, checkedBytes, checkedMac)).toBe(
            false,
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('DCC.md §8 - a MAC made by a third party with its own KA key fails against the claimed sender', () => {
    const forged = macFor(otherKa.privateKey, esmeKa.publicKey, ctx, data);
    expect(checkMac(esmeKa.privateKey, supplierKa.publicKey, ctx, data, forged)).toBe(false);
    expect(checkMac(esmeKa.privateKey, otherKa.publicKey, ctx, data, forged)).toBe(true);
  });

  it('PROTECTION.md §3.2 - macFor and checkMac give the same bytes with and without a SharedSecretCache', () => {
    const cache = new SharedSecretCache(4);
    fc.assert(
      fc.property(context, bytes, (c, message) => {
        const plain = macFor(supplierKa.privateKey, esmeKa.publicKey, c, message);
        const cached = macFor(supplierKa.privateKey, esmeKa.publicKey, c, message, cache);
        expect(hex(cached)).toBe(hex(plain));
        expect(checkMac(esmeKa.privateKey, supplierKa.publicKey, c, message, plain, cache)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  describe('PROTECTION.md §3.1 - an invalid peer KA public key is refused', () => {
    for (const [what, peerKey, message] of invalidPeerKeys()) {
      it(`${what}: ecdhSharedSecret throws GBCS_INVALID_PEER_PUBLIC_KEY saying why; checkMac is false; macFor throws`, () => {
        let error: unknown;
        try {
          ecdhSharedSecret(esmeKa.privateKey, peerKey);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(GbcsProtectionError);
        expect((error as GbcsProtectionError).code).toBe('GBCS_INVALID_PEER_PUBLIC_KEY');
        expect((error as GbcsProtectionError).message).toMatch(message);
        expect(checkMac(esmeKa.privateKey, peerKey, ctx, data, new Uint8Array(12))).toBe(false);
        expect(
          checkMac(esmeKa.privateKey, peerKey, ctx, data, new Uint8Array(12), new SharedSecretCache()),
        ).toBe(false);
        expect(() => macFor(esmeKa.privateKey, peerKey, ctx, data)).toThrow(GbcsProtectionError);
      });
    }
  });

  it('PROTECTION.md §3 - an own KA private key that is not a scalar in [1, n - 1] is a GBCS_INVALID_PRIVATE_KEY fault', () => {
    const n = fromHex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(32), /not a valid P-256 scalar/],
      [n, /not a valid P-256 scalar/],
      [new Uint8Array(31).fill(1), /must be a 32-byte P-256 scalar, got 31 bytes/],
      [new Uint8Array(33).fill(1), /must be a 32-byte P-256 scalar, got 33 bytes/],
    ];
    for (const [privateKey, message] of cases) {
      expect(() => ecdhSharedSecret(privateKey, supplierKa.publicKey)).toThrow(
        expect.objectContaining({
          code: 'GBCS_INVALID_PRIVATE_KEY',
          message: expect.stringMatching(message),
        }),
      );
      expect(checkMac(privateKey, supplierKa.publicKey, ctx, data, new Uint8Array(12))).toBe(false);
    }
  });
});

function stringifyBigint(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
