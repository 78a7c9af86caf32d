import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import {
  encodeGeneralSigning,
  encodeTransactionId,
} from '../../../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { ecdhSharedSecret } from '../../../../../../simulator/domain/gbcs/protection/ecdh-shared-secret.js';
import {
  computeGbcsMac,
  gbcsMacAad,
  gbcsMacIv,
  gbcsMacKey,
} from '../../../../../../simulator/domain/gbcs/protection/gbcs-mac.js';
import {
  deriveGbcsKey,
  gbcsKdfOtherInfo,
} from '../../../../../../simulator/domain/gbcs/protection/gbcs-mac-key.js';
import {
  checkGbcsMac,
  encodeMacProtected,
} from '../../../../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import { checkGbcsSignature } from '../../../../../../simulator/domain/gbcs/protection/gbcs-signature.js';
import { GBCS_VECTORS, hex, toHex } from '../gbcs-fixtures.js';

const vector = JSON.parse(readFileSync(join(GBCS_VECTORS, 'section-18-4.json'), 'utf8'));
const message = hex(vector.message);
const acbPrivate = hex(vector.parties.acb.kaPrivateKey);
const devicePublic = hex(vector.parties.deviceA.kaPublicKey);
const supplierDsPublic = hex(vector.parties.supplierA.dsPublicKey);

describe('GBCS §18.4 test vector (critical ECS04b, SupplierA → DeviceA, ACB-MACed)', () => {
  const decoded = decodeGbcsMessage(message);

  it('decodes every header field', () => {
    expect(decoded.frame).toBe('mac-header');
    expect(decoded.apdu.cra).toBe('command');
    expect(decoded.apdu.counter).toBe(1n);
    expect(decoded.apdu.originator).toBe('12-34-56-78-9A-BC-DE-F0');
    expect(decoded.apdu.recipient).toBe('FF-FF-FF-FF-FF-FF-FF-FE');
    expect(decoded.apdu.dateTime).toBeNull();
    expect(decoded.apdu.otherInformation).toEqual({ form: 'message-code', messageCode: 0x00b3 });
    expect(decoded.apdu.content.length).toBe(53);
    expect(decoded.contentOffset).toBe(48);
    expect(decoded.apdu.signature.kind).toBe('signed');
  });

  it('signs exactly the general-signing bytes after DF up to the last payload byte (86 bytes)', () => {
    expect(toHex(decoded.signedBytes)).toBe(vector.signature.signedBytes.toLowerCase());
    expect(checkGbcsSignature(decoded.signedBytes, decoded.apdu, supplierDsPublic)).toBe('valid');
  });

  it('a signature over other bytes does not verify', () => {
    const tampered = Uint8Array.from(decoded.signedBytes);
    tampered[40] = (tampered[40] ?? 0) ^ 1;
    expect(checkGbcsSignature(tampered, decoded.apdu, supplierDsPublic)).toBe('invalid');
  });

  it('derives Z, OtherInfo (with the 09 byte), K, IV and AAD as GBCS does', () => {
    const z = ecdhSharedSecret(acbPrivate, devicePublic);
    expect(toHex(z)).toBe(vector.mac.Z);
    const otherInfo = gbcsKdfOtherInfo(
      decoded.apdu.originator,
      encodeTransactionId('command', 1n),
      decoded.apdu.recipient as Eui,
    );
    expect(toHex(otherInfo)).toBe(vector.mac.otherInfo);
    expect(toHex(deriveGbcsKey(z, otherInfo))).toBe(vector.mac.K);
    expect(toHex(gbcsMacKey(z, decoded.apdu))).toBe(vector.mac.K);
    expect(toHex(gbcsMacIv(decoded.apdu.originator))).toBe(vector.mac.IV);
    expect(toHex(gbcsMacAad(decoded.generalSigningBytes))).toBe(vector.mac.aad);
  });

  it('reproduces the MAC 5d832d15b57a56d620f198b3, not the v1 MAC', () => {
    const z = ecdhSharedSecret(acbPrivate, devicePublic);
    const mac = toHex(computeGbcsMac(z, decoded.apdu, decoded.generalSigningBytes));
    expect(mac).toBe(vector.mac.expectedMac);
    expect(mac).not.toBe(vector.contrastTrialsimV1.mac);
    expect(checkGbcsMac(decoded, { ownKaPrivateKey: acbPrivate, peerKaPublicKey: devicePublic })).toBe(
      'valid',
    );
  });

  it('re-encodes the whole 178-byte message byte for byte from its decoded fields', () => {
    expect(toHex(encodeGeneralSigning(decoded.apdu))).toBe(toHex(decoded.generalSigningBytes));
    const rebuilt = encodeMacProtected(decoded.apdu, {
      ownKaPrivateKey: acbPrivate,
      peerKaPublicKey: devicePublic,
    });
    expect(toHex(rebuilt)).toBe(vector.message.toLowerCase());
  });
});
