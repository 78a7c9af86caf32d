import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SubjectKeyIdentifierExtension, X509Certificate } from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { cborContentCodec } from '../../../../../../simulator/adapters/wire/envelope.js';
import { credentialReplacementBodySchema } from '../../../../../../simulator/domain/device/credential-replacement.js';
import { parseEui } from '../../../../../../simulator/domain/eui.js';
import { GbcsEncodeError } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-codec-error.js';
import { readCertificateSubject } from '../../../../../../simulator/domain/gbcs/payloads/asn1/certificate-subject.js';
import {
  decodeCs02bCommand,
  decodeCs02bResponse,
} from '../../../../../../simulator/domain/gbcs/payloads/asn1/cs02b.js';
import { cs02bContent } from '../../../../../../simulator/domain/services/content/update-security-credentials-content.js';
import {
  readCommandContent,
  writeCommandContent,
} from '../../../../../../simulator/domain/services/content/wire-content.js';
import { deriveKeyPair } from '../../../../../../simulator/domain/smki/key-pair.js';
import {
  issuingCaCertificate,
  organisationCertificate,
} from '../../../../../support/organisation-certificates.js';
import { GBCS_VECTORS } from '../../gbcs/gbcs-fixtures.js';

/** 6.23 as CS02b supplierByTransCoS (GBCS.md §7.8): the CoS party's body ↔ the DER payload. */
const GAINING = { eui: parseEui('90-B3-D5-1F-30-03-00-00'), role: 'supplier' as const, name: 'supplier-b' };
const LOSING = parseEui('90-B3-D5-1F-30-01-00-00');
const DS = deriveKeyPair('test/cs02b-content', 'supplier-b/ds');
const KA = deriveKeyPair('test/cs02b-content', 'supplier-b/ka');
const OLD_DS = deriveKeyPair('test/cs02b-content', 'supplier-a/ds');
const COUNTER = 1_000_000n;
const context = { counter: COUNTER, now: Date.parse('2027-01-04T09:00:00Z') };
const content = cs02bContent(0x0107);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

let dsCertificate: Uint8Array;
let kaCertificate: Uint8Array;
let caCertificate: Uint8Array;
beforeAll(async () => {
  dsCertificate = await organisationCertificate(GAINING, 'digitalSignature', DS);
  kaCertificate = await organisationCertificate(GAINING, 'keyAgreement', KA);
  caCertificate = await issuingCaCertificate();
});

function cosBody(extra: Record<string, unknown> = {}) {
  const cell = (keyUsage: string, certificate: Uint8Array, key: Uint8Array) => ({
    role: 'supplier',
    keyUsage,
    cellUsage: 'management',
    eui: GAINING.eui,
    publicKey: hex(key),
    certificate,
    replaces: LOSING,
    originatorCounterFloor: 4200,
  });
  return {
    replacementMode: 'supplierByTransCoS',
    replacements: [
      cell('digitalSignature', dsCertificate, DS.publicKey),
      cell('keyAgreement', kaCertificate, KA.publicKey),
    ],
    certificationPath: [caCertificate],
    ...extra,
  };
}

describe('6.23 command: CS02b supplierByTransCoS', () => {
  it('is the DER command: mode 7, the CoS DS cell, the counter, the floor in [6], the certificates whole', () => {
    const bytes = writeCommandContent(0x0107, cosBody(), context, cborContentCodec);
    const command = decodeCs02bCommand(bytes);
    expect(command).toMatchObject({
      mode: 7,
      applyTimeBasedCpvChecks: true,
      authorisingCell: { role: 5, keyUsage: 'digitalSignature' },
      counter: COUNTER,
      otherRemotePartyFloors: [{ role: 2, floor: 4200n, specialistFloors: [] }],
    });
    expect(command.newRemotePartyFloorSeqNumber).toBeUndefined();
    expect(command.replacements.map((r) => [hex(r.certificate), r.targetCell])).toEqual([
      [hex(dsCertificate), { role: 2, keyUsage: 'digitalSignature' }],
      [hex(kaCertificate), { role: 2, keyUsage: 'keyAgreement' }],
    ]);
    expect(command.certificationPath.map(hex)).toEqual([hex(caCertificate)]);
  });

  it('reads back, on the device, into the body its execution checks: EUI and key from each certificate', () => {
    const bytes = writeCommandContent(0x0107, cosBody(), context, cborContentCodec);
    const body = readCommandContent(0x0107, bytes, 0, cborContentCodec);
    expect(body).toEqual({
      replacementMode: 'supplierByTransCoS',
      replacements: [
        {
          role: 'supplier',
          keyUsage: 'digitalSignature',
          cellUsage: 'management',
          eui: GAINING.eui,
          publicKey: hex(DS.publicKey),
          certificate: dsCertificate,
          originatorCounterFloor: 4200,
        },
        {
          role: 'supplier',
          keyUsage: 'keyAgreement',
          cellUsage: 'management',
          eui: GAINING.eui,
          publicKey: hex(KA.publicKey),
          certificate: kaCertificate,
          originatorCounterFloor: 4200,
        },
      ],
      // The device validates each certificate up to its Root through these (GBCS.md §7.8).
      certificationPath: [caCertificate],
      applyTimeBasedCpvChecks: true,
    });
    // `replaces` has no place in CS02b, so it does not travel; the rest is what the device accepts.
    expect(credentialReplacementBodySchema.safeParse(body).success).toBe(true);
  });

  it("a certificate that names no organisation (the CA's) reads as no subject, which the device answers badCertificate", () => {
    const body = cosBody();
    const replacements = [{ ...body.replacements[0], certificate: caCertificate }];
    const bytes = content.encodeCommand({ ...body, replacements }, context);
    expect(content.decodeCommand(bytes, 0).replacements).toMatchObject([{ eui: '', publicKey: '' }]);
  });

  it('reads real SMKI organisation certificates (the RTDS key set) and no device certificate as a party', () => {
    const pem = (name: string) => {
      const text = readFileSync(join(GBCS_VECTORS, 'keys', name), 'latin1');
      const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/.exec(text)?.[1] ?? '';
      return Uint8Array.from(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
    };
    expect(readCertificateSubject(pem('90b3d51f30010000-ds.pem'))?.eui).toBe('90-B3-D5-1F-30-01-00-00');
    expect(readCertificateSubject(pem('90b3d51f30010000-ka.pem'))?.publicKey).toHaveLength(65);
    expect(readCertificateSubject(pem('00db1234567890a0-ds.pem'))).toBeUndefined();
  });

  it('refuses a body with a bare key and no certificate: CS02b has no place for one', () => {
    const body = cosBody();
    const bare = body.replacements.map(({ certificate: _, ...r }) => r);
    expect(() => content.encodeCommand({ ...body, replacements: bare }, context)).toThrow(GbcsEncodeError);
  });
});

describe('6.23 response: the execution outcome per replacement', () => {
  const success = {
    status: 'success',
    replacementMode: 'supplierByTransCoS',
    results: [
      {
        role: 'supplier',
        keyUsage: 'digitalSignature',
        cellUsage: 'management',
        eui: GAINING.eui,
        status: 0,
        publicKey: hex(DS.publicKey),
        replacedEui: LOSING,
        replacedPublicKey: hex(OLD_DS.publicKey),
        originatorCounterFloor: 4200,
      },
    ],
  };

  it('names the cell, status, existing and replacing subject; the key identifier is the certificate SKI', () => {
    const bytes = content.encodeResponse(success, context);
    const response = decodeCs02bResponse(bytes);
    if (response.kind !== 'executed') throw new Error('expected an execution outcome');
    expect(response.authorisingRemotePartySeqNumber).toBe(COUNTER);
    expect(response.mode).toBe(7);
    expect(response.remotePartyFloorChanges).toEqual([{ role: 2, floor: 4200n, specialistFloors: [] }]);
    const [outcome] = response.replacementOutcomes;
    expect(outcome?.status).toBe(0);
    expect(hex(outcome?.existingSubjectUniqueId ?? new Uint8Array())).toBe('90b3d51f30010000');
    expect(hex(outcome?.replacingSubjectUniqueId ?? new Uint8Array())).toBe('90b3d51f30030000');
    const ski = new X509Certificate(dsCertificate).getExtension(SubjectKeyIdentifierExtension);
    expect(hex(outcome?.replacingSubjectKeyId ?? new Uint8Array())).toBe(ski?.keyId);
    expect(content.decodeResponse(bytes, 0)).toEqual({
      status: 'success',
      replacementMode: 'supplierByTransCoS',
      results: [
        {
          role: 'supplier',
          keyUsage: 'digitalSignature',
          cellUsage: 'management',
          eui: GAINING.eui,
          status: 0,
        },
      ],
    });
  });

  it('a refused replacement reads back as failure with its status; a failure with no outcome too', () => {
    const refused = { ...success, status: 'failure', results: [{ ...success.results[0], status: 127 }] };
    expect(content.decodeResponse(content.encodeResponse(refused, context), 0)).toMatchObject({
      status: 'failure',
      results: [{ status: 127 }],
    });
    const malformed = { status: 'failure', reason: 'malformed credential replacement', results: [] };
    expect(content.decodeResponse(content.encodeResponse(malformed, context), 0)).toEqual({
      status: 'failure',
      replacementMode: 'supplierByTransCoS',
      results: [],
    });
  });
});

describe('6.15.1 command: CS02b supplierBySupplier (0x0102) and networkOperatorByNetworkOperator (0x0103)', () => {
  // The User's request as the DCC validated it: certificates whole, a floor, the certification path.
  const krpBody = (role: string, extra: Record<string, unknown> = {}) => ({
    replacementMode: role === 'supplier' ? 'supplierBySupplier' : 'networkOperatorByNetworkOperator',
    replacements: [
      {
        role,
        keyUsage: 'digitalSignature',
        cellUsage: 'management',
        certificate: dsCertificate,
        originatorCounterFloor: 77,
      },
      {
        role,
        keyUsage: 'keyAgreement',
        cellUsage: 'management',
        certificate: kaCertificate,
        originatorCounterFloor: 77,
      },
    ],
    certificationPath: [caCertificate],
    ...extra,
  });

  it('0x0102: mode 2, the Supplier DS cell authorises, the counter in [3], the own floor in [4] (no [6]), the certificates whole', () => {
    const command = decodeCs02bCommand(
      writeCommandContent(0x0102, krpBody('supplier'), context, cborContentCodec),
    );
    expect(command).toMatchObject({
      mode: 2,
      applyTimeBasedCpvChecks: true,
      authorisingCell: { role: 2, keyUsage: 'digitalSignature' },
      counter: COUNTER,
      newRemotePartyFloorSeqNumber: 77n,
    });
    expect(command.otherRemotePartyFloors).toBeUndefined();
    expect(command.replacements.map((r) => [hex(r.certificate), r.targetCell])).toEqual([
      [hex(dsCertificate), { role: 2, keyUsage: 'digitalSignature' }],
      [hex(kaCertificate), { role: 2, keyUsage: 'keyAgreement' }],
    ]);
    expect(command.certificationPath.map(hex)).toEqual([hex(caCertificate)]);
  });

  it('0x0103 with ApplyTimeBasedCPVChecks false: mode 3, the Network Operator DS cell, [1] on the wire', () => {
    const bytes = writeCommandContent(
      0x0103,
      krpBody('networkOperator', { applyTimeBasedCpvChecks: false }),
      context,
      cborContentCodec,
    );
    expect(decodeCs02bCommand(bytes)).toMatchObject({
      mode: 3,
      applyTimeBasedCpvChecks: false,
      authorisingCell: { role: 3, keyUsage: 'digitalSignature' },
    });
    // …and the device reads it back: it checks no validity period for this command.
    expect(readCommandContent(0x0103, bytes, 0, cborContentCodec).applyTimeBasedCpvChecks).toBe(false);
  });

  it('reads back, on the device, into the body its execution checks: EUI and key from each certificate, the floor for each', () => {
    const bytes = writeCommandContent(0x0103, krpBody('networkOperator'), context, cborContentCodec);
    const body = readCommandContent(0x0103, bytes, 0, cborContentCodec);
    expect(body).toEqual({
      replacementMode: 'networkOperatorByNetworkOperator',
      replacements: [
        {
          role: 'networkOperator',
          keyUsage: 'digitalSignature',
          cellUsage: 'management',
          eui: GAINING.eui,
          publicKey: hex(DS.publicKey),
          certificate: dsCertificate,
          originatorCounterFloor: 77,
        },
        {
          role: 'networkOperator',
          keyUsage: 'keyAgreement',
          cellUsage: 'management',
          eui: GAINING.eui,
          publicKey: hex(KA.publicKey),
          certificate: kaCertificate,
          originatorCounterFloor: 77,
        },
      ],
      // The device validates each certificate up to its Root through these (GBCS.md §7.8).
      certificationPath: [caCertificate],
      applyTimeBasedCpvChecks: true,
    });
    expect(credentialReplacementBodySchema.safeParse(body).success).toBe(true);
  });

  it('carries real SMKI certificates (the RTDS Supplier DS and KA) through unchanged and reads their subject', () => {
    const pem = (name: string) => {
      const text = readFileSync(join(GBCS_VECTORS, 'keys', name), 'latin1');
      const base64 = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END/.exec(text)?.[1] ?? '';
      return Uint8Array.from(Buffer.from(base64.replace(/\s+/g, ''), 'base64'));
    };
    const [ds, ka] = [pem('90b3d51f30010000-ds.pem'), pem('90b3d51f30010000-ka.pem')];
    const body = krpBody('supplier');
    const replacements = [
      { ...body.replacements[0], certificate: ds },
      { ...body.replacements[1], certificate: ka },
    ];
    const bytes = writeCommandContent(0x0102, { ...body, replacements }, context, cborContentCodec);
    expect(decodeCs02bCommand(bytes).replacements.map((r) => hex(r.certificate))).toEqual([hex(ds), hex(ka)]);
    const read = readCommandContent(0x0102, bytes, 0, cborContentCodec);
    expect(read.replacements).toMatchObject([
      {
        eui: '90-B3-D5-1F-30-01-00-00',
        publicKey: hex(readCertificateSubject(ds)?.publicKey ?? new Uint8Array()),
      },
      { eui: '90-B3-D5-1F-30-01-00-00', keyUsage: 'keyAgreement' },
    ]);
  });

  it('the response gives each outcome with the new subject, and reads back as the User sees it', () => {
    const results = [
      {
        role: 'supplier',
        keyUsage: 'digitalSignature',
        cellUsage: 'management',
        eui: GAINING.eui,
        status: 0,
        publicKey: hex(DS.publicKey),
        replacedEui: LOSING,
        replacedPublicKey: hex(OLD_DS.publicKey),
        originatorCounterFloor: 77,
      },
    ];
    const krp = cs02bContent(0x0102);
    const bytes = krp.encodeResponse(
      { status: 'success', replacementMode: 'supplierBySupplier', results },
      context,
    );
    const response = decodeCs02bResponse(bytes);
    expect(response).toMatchObject({ kind: 'executed', mode: 2, authorisingRemotePartySeqNumber: COUNTER });
    expect(krp.decodeResponse(bytes, 0)).toEqual({
      status: 'success',
      replacementMode: 'supplierBySupplier',
      results: [
        {
          role: 'supplier',
          keyUsage: 'digitalSignature',
          cellUsage: 'management',
          eui: GAINING.eui,
          status: 0,
        },
      ],
    });
  });
});
