import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeGeneralSigning } from '../../../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { encodeMacHeader } from '../../../../../../simulator/domain/gbcs/apdu/mac-header.js';
import { ecdhSharedSecret } from '../../../../../../simulator/domain/gbcs/protection/ecdh-shared-secret.js';
import { computeGbcsMac } from '../../../../../../simulator/domain/gbcs/protection/gbcs-mac.js';
import {
  encodeDeviceSigned,
  encodeMacProtected,
  encodeSignedAndMacProtected,
} from '../../../../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import { signGeneralSigning } from '../../../../../../simulator/domain/gbcs/protection/gbcs-signature.js';
import { SharedSecretCache } from '../../../../../../simulator/domain/gbcs/protection/shared-secret-cache.js';
import { deriveKeyPair } from '../../../../../../simulator/domain/smki/key-pair.js';
import { generalSigning } from '../fuzz/gbcs-arbitraries.js';

/**
 * The protected encoders write the APDU once, in place in the message (#21). They must give
 * exactly the bytes of the plain composition: encode the APDU, MAC it, wrap it in the header;
 * sign, then encode.
 */
const own = deriveKeyPair('encoded-once', 'own-ka');
const peer = deriveKeyPair('encoded-once', 'peer-ka');
const ds = deriveKeyPair('encoded-once', 'ds');
const keys = { ownKaPrivateKey: own.privateKey, peerKaPublicKey: peer.publicKey };
const z = ecdhSharedSecret(own.privateKey, peer.publicKey);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function macHeaded(generalSigningBytes: Uint8Array, header: Parameters<typeof computeGbcsMac>[1]): string {
  return hex(encodeMacHeader(generalSigningBytes, computeGbcsMac(z, header, generalSigningBytes)));
}

describe('protected messages encoded once are the bytes of the plain composition', () => {
  it('encodeMacProtected = MAC header around encodeGeneralSigning with its MAC, with and without a cache', () => {
    const secrets = new SharedSecretCache();
    fc.assert(
      fc.property(generalSigning(true), (apdu) => {
        const expected = macHeaded(encodeGeneralSigning(apdu), apdu);
        expect(hex(encodeMacProtected(apdu, keys))).toBe(expected);
        expect(hex(encodeMacProtected(apdu, keys, secrets))).toBe(expected);
      }),
      { seed: 21, numRuns: 200 },
    );
  });

  it('encodeDeviceSigned = encodeGeneralSigning(signGeneralSigning(…)); the MAC-headed form likewise', () => {
    fc.assert(
      fc.property(generalSigning(true), (apdu) => {
        const signed = signGeneralSigning(apdu, ds.privateKey);
        expect(hex(encodeDeviceSigned(apdu, ds.privateKey))).toBe(hex(encodeGeneralSigning(signed)));
        expect(hex(encodeSignedAndMacProtected(apdu, ds.privateKey, keys))).toBe(
          macHeaded(encodeGeneralSigning(signed), signed),
        );
      }),
      { seed: 23, numRuns: 100 },
    );
  });
});
