import { createCipheriv, createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { euiToBytes } from '../../../../../../simulator/domain/eui.js';
import { CRA_FLAG } from '../../../../../../simulator/domain/gbcs/apdu/cra-flag.js';
import { encodeGeneralSigning } from '../../../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { macHeaderFrame } from '../../../../../../simulator/domain/gbcs/apdu/mac-header.js';
import {
  computeGbcsMac,
  gbcsMacKey,
  gbcsMacMatches,
} from '../../../../../../simulator/domain/gbcs/protection/gbcs-mac.js';
import {
  deriveGbcsKey,
  gbcsKdfOtherInfo,
} from '../../../../../../simulator/domain/gbcs/protection/gbcs-mac-key.js';
import { macInPlace } from '../../../../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import { SharedSecretCache } from '../../../../../../simulator/domain/gbcs/protection/shared-secret-cache.js';
import { deriveKeyPair } from '../../../../../../simulator/domain/smki/key-pair.js';
import { generalSigning } from '../fuzz/gbcs-arbitraries.js';

/**
 * The MAC's fast path (OtherInfo written in place into a shared KDF input, a shared IV, the tag
 * written or compared without copies, #21) must give the bytes of GBCS.md §4.2 written out
 * plainly: K = SHA-256(00000001 ‖ Z ‖ OtherInfo)[0, 16), IV = originator ‖ 00000000,
 * AAD = 11 00 00 00 00 00 ‖ APDU, MAC = the tag's first 12 bytes.
 */
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function referenceKey(z: Uint8Array, apdu: Parameters<typeof computeGbcsMac>[1]): Buffer {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(apdu.counter);
  return createHash('sha256')
    .update(Uint8Array.of(0, 0, 0, 1))
    .update(z)
    .update(Uint8Array.of(0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00))
    .update(euiToBytes(apdu.originator))
    .update(Uint8Array.of(0x09, CRA_FLAG[apdu.cra]))
    .update(counter)
    .update(euiToBytes(apdu.recipient))
    .digest()
    .subarray(0, 16);
}

function referenceMac(z: Uint8Array, apdu: Parameters<typeof computeGbcsMac>[1], bytes: Uint8Array): string {
  const iv = Buffer.concat([euiToBytes(apdu.originator), Buffer.alloc(4)]);
  const gcm = createCipheriv('aes-128-gcm', referenceKey(z, apdu), iv);
  gcm.setAAD(Buffer.concat([Uint8Array.of(0x11, 0, 0, 0, 0, 0), bytes]));
  gcm.final();
  return hex(gcm.getAuthTag().subarray(0, 12));
}

const z32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('GBCS MAC fast path = GBCS.md §4.2 written out plainly', () => {
  it('GBCS.md §4.2 - key, MAC and check agree with the reference for any APDU and Z', () => {
    fc.assert(
      fc.property(generalSigning(true), z32, (apdu, z) => {
        const bytes = encodeGeneralSigning(apdu);
        const expected = referenceMac(z, apdu, bytes);
        const otherInfo = gbcsKdfOtherInfo(apdu.originator, referenceTransactionId(apdu), apdu.recipient);
        expect(hex(gbcsMacKey(z, apdu))).toBe(hex(referenceKey(z, apdu)));
        expect(hex(deriveGbcsKey(z, otherInfo))).toBe(hex(referenceKey(z, apdu)));
        expect(hex(computeGbcsMac(z, apdu, bytes))).toBe(expected);
        const mac = Buffer.from(expected, 'hex');
        expect(gbcsMacMatches(z, apdu, bytes, mac)).toBe(true);
        for (const at of [0, 11]) {
          const tampered = Uint8Array.from(mac);
          tampered[at] = (tampered[at] as number) ^ 0x01;
          expect(gbcsMacMatches(z, apdu, bytes, tampered)).toBe(false);
        }
        expect(gbcsMacMatches(z, apdu, bytes, mac.subarray(0, 11))).toBe(false);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('macInPlace writes that MAC in the frame, leaving the APDU and the header as they were', () => {
    const own = deriveKeyPair('gbcs-mac', 'own');
    const peer = deriveKeyPair('gbcs-mac', 'peer');
    const keys = { ownKaPrivateKey: own.privateKey, peerKaPublicKey: peer.publicKey };
    const secrets = new SharedSecretCache();
    const z = secrets.sharedSecret(own.privateKey, peer.publicKey);
    fc.assert(
      fc.property(generalSigning(true), (apdu) => {
        const bytes = encodeGeneralSigning(apdu);
        const frame = macHeaderFrame(bytes.length);
        frame.bytes.set(bytes, frame.generalSigningAt);
        const before = hex(frame.bytes.subarray(0, frame.macAt));
        macInPlace(frame, apdu, keys, secrets);
        expect(hex(frame.bytes.subarray(0, frame.macAt))).toBe(before);
        expect(hex(frame.bytes.subarray(frame.macAt))).toBe(referenceMac(z, apdu, bytes));
      }),
      { seed: 43, numRuns: 100 },
    );
  });

  it('a malformed system title is refused, not MACed as garbage', () => {
    const apdu = fc.sample(generalSigning(true), { seed: 1, numRuns: 1 })[0];
    if (apdu === undefined) throw new Error('no sample');
    const bad = { ...apdu, originator: '90-b3-d5-1f-30-01-00-00' as typeof apdu.originator };
    expect(() => computeGbcsMac(new Uint8Array(32), bad, new Uint8Array(1))).toThrow(/EUI-64/);
    expect(gbcsMacMatches(new Uint8Array(32), bad, new Uint8Array(1), new Uint8Array(12))).toBe(false);
  });
});

function referenceTransactionId(apdu: Parameters<typeof computeGbcsMac>[1]): Uint8Array {
  const out = Buffer.alloc(10);
  out[0] = 0x09;
  out[1] = CRA_FLAG[apdu.cra];
  out.writeBigUInt64BE(apdu.counter, 2);
  return out;
}
