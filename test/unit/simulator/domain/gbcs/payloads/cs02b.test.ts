import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Cs02bCommand,
  decodeCs02bCommand,
  decodeCs02bResponse,
  decodeFutureDatedCredentialsAlert,
  encodeCs02bCommand,
  encodeCs02bResponse,
  encodeFutureDatedCredentialsAlert,
} from '../../../../../../simulator/domain/gbcs/payloads/asn1/cs02b.js';
import { GBCS_VECTORS, hex, toHex } from '../gbcs-fixtures.js';

const certificate = (name: string) => {
  const pem = readFileSync(join(GBCS_VECTORS, 'keys', name), 'utf8');
  return Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
};
const supplierDs = certificate('90b3d51f30010000-ds.pem');
const supplierKa = certificate('90b3d51f30010000-ka.pem');

const supplierBySupplier: Cs02bCommand = {
  mode: 2,
  applyTimeBasedCpvChecks: false,
  authorisingCell: { role: 2, keyUsage: 'digitalSignature' },
  newRemotePartyFloorSeqNumber: 0n,
  specialistFloors: [{ usage: 0, floor: 0n }],
  replacements: [
    { certificate: supplierDs, targetCell: { role: 2, keyUsage: 'digitalSignature' } },
    { certificate: supplierKa, targetCell: { role: 2, keyUsage: 'keyAgreement' } },
    { certificate: supplierKa, targetCell: { role: 2, keyUsage: 'keyAgreement', cellUsage: 1 } },
  ],
  certificationPath: [supplierDs],
};

describe('CS02b Update Security Credentials (asn1js)', () => {
  it('6.15.1 supplierBySupplier: the authorising remote party control is byte for byte GBCS.md §7.8', () => {
    const bytes = encodeCs02bCommand(supplierBySupplier, 1000n);
    const control = '3020 020102 810101 a20702010203020780 830203e8 840100 a50830060201000201 00'.replace(
      / /g,
      '',
    );
    expect(toHex(bytes)).toContain(control);
    expect(toHex(bytes)).toContain('300a02010203020308020101'); // KA top-up target cell
    expect(decodeCs02bCommand(bytes)).toEqual({ ...supplierBySupplier, counter: 1000n });
  });

  it('6.23 supplierByTransCoS: no [1] (CPV checks apply, the DEFAULT), TransCoS cell, [6] other floors', () => {
    const command: Cs02bCommand = {
      mode: 7,
      applyTimeBasedCpvChecks: true,
      authorisingCell: { role: 5, keyUsage: 'digitalSignature' },
      otherRemotePartyFloors: [{ role: 2, floor: 0n, specialistFloors: [{ usage: 0, floor: 0n }] }],
      replacements: [{ certificate: supplierDs, targetCell: { role: 2, keyUsage: 'digitalSignature' } }],
      certificationPath: [],
      executionDateTime: new Date('2030-01-15T09:00:00Z'),
    };
    const bytes = encodeCs02bCommand(command, 6001n);
    const control =
      '3024 020107 a20702010503020780 83021771 a612301002010202010030083006020100020100'.replace(/ /g, '');
    expect(toHex(bytes)).toContain(control);
    expect(decodeCs02bCommand(bytes)).toEqual({ ...command, counter: 6001n });
  });

  it("the immediate response has RTDS's two-byte long-form lengths (30 82 00 CA …) and decodes back", () => {
    const outcome = (cellUsage?: number, keyUsage: 'digitalSignature' | 'keyAgreement' = 'keyAgreement') => ({
      affectedCell: cellUsage === undefined ? { role: 2, keyUsage } : { role: 2, keyUsage, cellUsage },
      status: 0,
      existingSubjectUniqueId: hex('90B3D51F30010000'),
      existingSubjectKeyId: hex('44899792D196F4B8'),
      replacingSubjectUniqueId: hex('90B3D51F30010000'),
      replacingSubjectKeyId: hex('43046B4FB7C4F11B'),
    });
    const response = {
      kind: 'executed' as const,
      authorisingRemotePartySeqNumber: 1000n,
      mode: 2,
      remotePartyFloorChanges: [{ role: 2, floor: 0n, specialistFloors: [{ usage: 0, floor: 0n }] }],
      replacementOutcomes: [outcome(undefined, 'digitalSignature'), outcome(), outcome(1)],
    };
    const bytes = encodeCs02bResponse(response);
    expect(toHex(bytes.subarray(0, 37))).toBe(
      toHex(
        hex(
          '30 82 00 CA 05 00 30 82 00 C4 02 02 03 E8 02 01 02 30 12 30 10 02 01 02 02 01 00 30 08 30 06 02 01 00 02 01 00',
        ),
      ),
    );
    expect(toHex(bytes.subarray(37, 54))).toBe(
      toHex(hex('30 82 00 A5 30 34 30 07 02 01 02 03 02 07 80 0A 01')),
    );
    expect(bytes.length).toBe(206);
    expect(decodeCs02bResponse(bytes)).toEqual(response);
    expect(toHex(encodeCs02bResponse({ kind: 'accepted' }))).toBe('30020500');
    expect(decodeCs02bResponse(hex('30020500'))).toEqual({ kind: 'accepted' });
    const alert = {
      alertCode: 0x8f66 as const,
      executionDateTime: new Date('2030-01-15T09:00:00Z'),
      outcome: response,
    };
    const { kind: _kind, ...plainOutcome } = response;
    expect(
      decodeFutureDatedCredentialsAlert(
        encodeFutureDatedCredentialsAlert({ ...alert, outcome: plainOutcome }),
      ),
    ).toEqual({
      ...alert,
      outcome: plainOutcome,
    });
  });

  it('a CS02b command with a long-form length where DER needs none is refused', () => {
    const bytes = encodeCs02bCommand(supplierBySupplier, 1000n);
    const bad = Uint8Array.from([bytes[0] ?? 0, 0x83, 0x00, ...bytes.subarray(2)]);
    expect(() => decodeCs02bCommand(bad)).toThrow(/CS02b payload/);
  });
});
