import { createDecipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { euiToBytes, parseEui } from '../../../../../../simulator/domain/eui.js';
import { computeMac, gcmIv, verifyMac } from '../../../../../../simulator/domain/gbcs/protection/gcm-mac.js';
import {
  deriveMacKey,
  ecdhSharedSecret,
  type MacKeyContext,
  macKdfOtherInfo,
} from '../../../../../../simulator/domain/gbcs/protection/mac-key-derivation.js';
import { CRA_FLAG } from '../../../../../../simulator/domain/gbcs/protection/message-kind.js';
import { checkMac, macFor } from '../../../../../../simulator/domain/gbcs/protection/protect.js';

const hexString = (length?: number) =>
  z
    .string()
    .regex(/^([0-9a-f]{2})*$/)
    .refine((text) => length === undefined || text.length === length * 2, `expected ${length} bytes`);
const party = z
  .object({
    eui: z.string(),
    kaPrivateKeyLabel: z.string(),
    kaPrivateKey: hexString(32),
    kaPublicKey: hexString(65),
  })
  .strict();
const vectorFile = z
  .object({
    description: z.string(),
    cases: z
      .array(
        z
          .object({
            name: z.string(),
            originator: party,
            recipient: party,
            kind: z.enum(['command', 'response', 'alert']),
            craFlag: z.union([z.literal(1), z.literal(2), z.literal(3)]),
            counter: hexString(8),
            protectedBytes: hexString(),
            expected: z
              .object({
                sharedSecretZ: hexString(32),
                kdfOtherInfo: hexString(32),
                macKey: hexString(16),
                iv: hexString(12),
                mac: hexString(12),
              })
              .strict(),
          })
          .strict(),
      )
      .min(1),
    invalidPeerPublicKeys: z.array(z.object({ reason: z.string(), publicKey: hexString() }).strict()).min(1),
  })
  .strict();

const vectors = vectorFile.parse(
  JSON.parse(
    readFileSync(
      new URL('../../../../../../fixtures/test-vectors/gbcs-protection.json', import.meta.url),
      'utf8',
    ),
  ),
);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

describe('fixtures/test-vectors/gbcs-protection.json (PROTECTION.md §8)', () => {
  for (const v of vectors.cases) {
    const context: MacKeyContext = {
      originator: parseEui(v.originator.eui),
      recipient: parseEui(v.recipient.eui),
      kind: v.kind,
      counter: BigInt(`0x${v.counter}`),
    };
    const originatorPrivate = fromHex(v.originator.kaPrivateKey);
    const recipientPublic = fromHex(v.recipient.kaPublicKey);
    const protectedBytes = fromHex(v.protectedBytes);

    describe(v.name, () => {
      it('PROTECTION.md §8 - the private keys are SHA-256 of their labels and the public keys belong to them', () => {
        for (const p of [v.originator, v.recipient]) {
          expect(p.kaPrivateKey).toBe(createHash('sha256').update(p.kaPrivateKeyLabel, 'utf8').digest('hex'));
          expect(hex(p256.getPublicKey(fromHex(p.kaPrivateKey), false))).toBe(p.kaPublicKey);
        }
        expect(v.craFlag).toBe(CRA_FLAG[v.kind]);
      });

      it('PROTECTION.md §3–§6 - recomputes Z, OtherInfo, key, IV and MAC byte for byte', () => {
        const zBytes = ecdhSharedSecret(originatorPrivate, recipientPublic);
        expect(hex(zBytes)).toBe(v.expected.sharedSecretZ);
        expect(hex(macKdfOtherInfo(context))).toBe(v.expected.kdfOtherInfo);
        const key = deriveMacKey(zBytes, context);
        expect(hex(key)).toBe(v.expected.macKey);
        expect(hex(gcmIv(context))).toBe(v.expected.iv);
        expect(hex(computeMac(key, context, protectedBytes))).toBe(v.expected.mac);
        expect(hex(macFor(originatorPrivate, recipientPublic, context, protectedBytes))).toBe(v.expected.mac);
      });

      it('DCC.md §8 - the recipient, using its own private key and the originator public key, accepts the MAC', () => {
        const recipientPrivate = fromHex(v.recipient.kaPrivateKey);
        const originatorPublic = fromHex(v.originator.kaPublicKey);
        expect(hex(ecdhSharedSecret(recipientPrivate, originatorPublic))).toBe(v.expected.sharedSecretZ);
        expect(
          checkMac(recipientPrivate, originatorPublic, context, protectedBytes, fromHex(v.expected.mac)),
        ).toBe(true);
        expect(verifyMac(fromHex(v.expected.macKey), context, protectedBytes, fromHex(v.expected.mac))).toBe(
          true,
        );
      });

      it('PROTECTION.md §3–§6 - an independent recomputation from the spec text (noble ECDH, hand-built KDF input and IV) agrees', () => {
        // ECDH with a second implementation: noble returns the compressed point; Z is its X.
        const zNoble = p256.getSharedSecret(originatorPrivate, recipientPublic, true).subarray(1);
        expect(hex(zNoble)).toBe(v.expected.sharedSecretZ);
        // OtherInfo and KDF input assembled from the PROTECTION.md §4 table, field by field.
        const otherInfo = [
          '60857406080300',
          hex(euiToBytes(context.originator)),
          v.craFlag.toString(16).padStart(2, '0'),
          v.counter,
          hex(euiToBytes(context.recipient)),
        ].join('');
        expect(otherInfo).toBe(v.expected.kdfOtherInfo);
        const key = createHash('sha256')
          .update(fromHex(`00000001${v.expected.sharedSecretZ}${otherInfo}`))
          .digest()
          .subarray(0, 16);
        expect(hex(key)).toBe(v.expected.macKey);
        const iv = hex(euiToBytes(context.originator)) + v.counter.slice(8);
        expect(iv).toBe(v.expected.iv);
        // GMAC checked through the decrypt side: an empty ciphertext with this tag must authenticate.
        const gcm = createDecipheriv('aes-128-gcm', key, fromHex(iv), { authTagLength: 12 });
        gcm.setAAD(protectedBytes);
        gcm.setAuthTag(fromHex(v.expected.mac));
        expect(gcm.final().length).toBe(0);
      });
    });
  }

  it('PROTECTION.md §3.1 - every listed invalid peer public key is refused', () => {
    const own = fromHex(vectors.cases[0]?.originator.kaPrivateKey ?? '');
    const context: MacKeyContext = {
      originator: parseEui('90-B3-D5-1F-30-01-00-00'),
      recipient: parseEui('00-DB-12-34-56-78-90-A0'),
      kind: 'command',
      counter: 1n,
    };
    for (const { publicKey } of vectors.invalidPeerPublicKeys) {
      expect(() => ecdhSharedSecret(own, fromHex(publicKey))).toThrow(
        expect.objectContaining({ code: 'GBCS_INVALID_PEER_PUBLIC_KEY' }),
      );
      expect(checkMac(own, fromHex(publicKey), context, new Uint8Array(0), new Uint8Array(12))).toBe(false);
    }
  });
});
