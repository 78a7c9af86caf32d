import { describe, expect, it } from 'vitest';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import {
  encodeGeneralSigning,
  type GeneralSigningApdu,
  SIGNATURE_OMITTED,
} from '../../../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { acbForm, messageCodeOnly } from '../../../../../../simulator/domain/gbcs/apdu/other-information.js';
import { responseTo } from '../../../../../../simulator/domain/gbcs/apdu/response-header.js';
import {
  checkGbcsMac,
  encodeDeviceSigned,
  encodeMacProtected,
  encodeSignedAndMacProtected,
} from '../../../../../../simulator/domain/gbcs/protection/gbcs-protect.js';
import {
  checkGbcsSignature,
  signPreCommandBytes,
} from '../../../../../../simulator/domain/gbcs/protection/gbcs-signature.js';
import { SharedSecretCache } from '../../../../../../simulator/domain/gbcs/protection/shared-secret-cache.js';
import { deriveKeyPair } from '../../../../../../simulator/domain/smki/key-pair.js';
import { hex, toHex } from '../gbcs-fixtures.js';

const supplier = '90-B3-D5-1F-30-01-00-00' as Eui;
const acb = '90-B3-D5-1F-30-00-00-02' as Eui;
const esme = '00-DB-12-34-56-78-90-A0' as Eui;
const keys = {
  supplierDs: deriveKeyPair('own-messages', 'supplier-ds'),
  acbKa: deriveKeyPair('own-messages', 'acb-ka'),
  esmeKa: deriveKeyPair('own-messages', 'esme-ka'),
  esmeDs: deriveKeyPair('own-messages', 'esme-ds'),
};

const ecs70Command: GeneralSigningApdu = {
  cra: 'command',
  counter: 0x0182_ac7b_5a07n,
  originator: supplier,
  recipient: esme,
  dateTime: null,
  otherInformation: messageCodeOnly(0x0062),
  content: hex('D9 20 7B 5A 07 00 01 01 00 08 00 00 01 00 00 FF 02 01 00'),
  signature: SIGNATURE_OMITTED,
};

describe('trialsim-built GBCS messages', () => {
  it('a critical command: User-signed, then ACB-MACed over the signature; the device verifies both', () => {
    const bytes = encodeSignedAndMacProtected(ecs70Command, keys.supplierDs.privateKey, {
      ownKaPrivateKey: keys.acbKa.privateKey,
      peerKaPublicKey: keys.esmeKa.publicKey,
    });
    const decoded = decodeGbcsMessage(bytes);
    expect(decoded.frame).toBe('mac-header');
    expect(decoded.apdu.counter).toBe(ecs70Command.counter);
    expect(checkGbcsSignature(decoded.signedBytes, decoded.apdu, keys.supplierDs.publicKey)).toBe('valid');
    // The device side: its own KA private key, the ACB's certificate.
    const deviceSide = { ownKaPrivateKey: keys.esmeKa.privateKey, peerKaPublicKey: keys.acbKa.publicKey };
    expect(checkGbcsMac(decoded, deviceSide)).toBe('valid');
    expect(checkGbcsMac(decoded, { ...deviceSide, peerKaPublicKey: keys.esmeDs.publicKey })).toBe('invalid');
  });

  it('signing is deterministic (RFC 6979): the same command gives the same bytes', () => {
    const a = encodeDeviceSigned(ecs70Command, keys.supplierDs.privateKey);
    const b = encodeDeviceSigned(ecs70Command, keys.supplierDs.privateKey);
    expect(toHex(a)).toBe(toHex(b));
  });

  it('a User signs a pre-command (with or without the 00 field) into the command APDU', () => {
    const preCommand = encodeGeneralSigning(ecs70Command);
    const signedEnd = preCommand.length;
    const signed = signPreCommandBytes(preCommand, signedEnd, keys.supplierDs.privateKey);
    expect(toHex(signed)).toBe(toHex(encodeDeviceSigned(ecs70Command, keys.supplierDs.privateKey)));
    const withEmpty = Uint8Array.from([...preCommand, 0x00]);
    expect(toHex(signPreCommandBytes(withEmpty, signedEnd, keys.supplierDs.privateKey))).toBe(toHex(signed));
  });

  it('a critical response echoes the counter, swaps the parties and is device-signed with no MAC header', () => {
    const response = responseTo(ecs70Command, hex('DA 20 7B 5A 07 00 00 01 00 01 01 00'));
    const decoded = decodeGbcsMessage(encodeDeviceSigned(response, keys.esmeDs.privateKey));
    expect(decoded.frame).toBe('general-signing');
    expect(decoded.mac).toBeNull();
    expect(decoded.apdu).toMatchObject({
      cra: 'response',
      counter: ecs70Command.counter,
      originator: esme,
      recipient: supplier,
    });
    expect(checkGbcsSignature(decoded.signedBytes, decoded.apdu, keys.esmeDs.publicKey)).toBe('valid');
    expect(checkGbcsSignature(decoded.signedBytes, decoded.apdu, keys.supplierDs.publicKey)).toBe('invalid');
  });

  it('an ACB-form response repeats the 18-byte other-information and is MACed device ↔ ACB', () => {
    const command: GeneralSigningApdu = {
      ...ecs70Command,
      originator: acb,
      otherInformation: acbForm(0x0059, supplier, 1002n),
    };
    const response = responseTo(command, hex('DA 20 00 05 16 00 00 01 09 04 0C 23 00 00 01 01 00'));
    const cache = new SharedSecretCache();
    const bytes = encodeMacProtected(
      response,
      { ownKaPrivateKey: keys.esmeKa.privateKey, peerKaPublicKey: keys.acbKa.publicKey },
      cache,
    );
    const decoded = decodeGbcsMessage(bytes);
    expect(decoded.apdu.otherInformation).toEqual(acbForm(0x0059, supplier, 1002n));
    expect(
      checkGbcsMac(
        decoded,
        { ownKaPrivateKey: keys.acbKa.privateKey, peerKaPublicKey: keys.esmeKa.publicKey },
        cache,
      ),
    ).toBe('valid');
  });
});
