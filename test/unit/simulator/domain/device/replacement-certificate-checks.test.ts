import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  resignedCertificate,
  withoutCertificateSigning,
  withSubjectRole,
  withValidity,
} from '../../../../../harness/dut/crafted/resigned-certificate.js';
import type { DeviceDefect } from '../../../../../simulator/domain/device/device-defects.js';
import {
  type ReplacementCertificateContext,
  replacementCertificateFault,
  type TargetCell,
} from '../../../../../simulator/domain/device/replacement-certificate-checks.js';
import { parseEui } from '../../../../../simulator/domain/eui.js';
import { deriveKeyPair } from '../../../../../simulator/domain/smki/key-pair.js';
import { authoritySubject } from '../../../../../simulator/domain/smki/smki-names.js';
import { CertificateIssuer } from '../../../../../simulator/pki/certificate-issuer.js';
import { organisationExtensions } from '../../../../../simulator/pki/certificate-profiles.js';
import { generateTestPki, type TestPki } from '../../../../../simulator/pki/index.js';
import { TEMPLATES_DIR } from '../../../../support/duis-templates.js';

/** Each rule a device applies to a CS02b replacement certificate (GBCS.md §7.8, DCC.md §7). */
const NOW = Date.UTC(2027, 0, 4, 9);
const YEAR = 365 * 86_400_000;
const SUPPLIER_DS: TargetCell = { role: 'supplier', keyUsage: 'digitalSignature' };
const SUPPLIER_KA: TargetCell = { role: 'supplier', keyUsage: 'keyAgreement' };

const spec = (seed: string) => ({
  seed,
  notBefore: NOW - YEAR,
  validityYears: 5,
  organisations: [
    { name: 'supplier-b', eui: parseEui('90-B3-D5-1F-30-03-00-00'), role: 'supplier' as const },
    { name: 'network-operator', eui: parseEui('90-B3-D5-1F-30-02-00-00'), role: 'networkOperator' as const },
  ],
  devices: [],
});

let pki: TestPki;
/** The same names and layout under other keys: what a forger who copied the public PKI would make. */
let otherPki: TestPki;
let context: ReplacementCertificateContext;

beforeAll(async () => {
  pki = await generateTestPki(spec('certificate-checks'));
  otherPki = await generateTestPki(spec('certificate-checks/forger'));
  context = {
    certificationPath: [pki.issuingCa.der],
    rootPublicKey: pki.root.keys.publicKey,
    applyTimeBasedCpvChecks: true,
    now: NOW,
  };
});

const supplier = () => pki.organisation('supplier-b');

describe('a replacement certificate the SMKI issued is accepted', () => {
  it('DS into the DS cell, KA into the KA cell', () => {
    expect(replacementCertificateFault(supplier().ds.der, SUPPLIER_DS, context)).toBeUndefined();
    expect(replacementCertificateFault(supplier().ka.der, SUPPLIER_KA, context)).toBeUndefined();
  });

  it('the Issuing CA may be anywhere in the certification path, after certificates of other CAs', () => {
    const path = [otherPki.root.der, pki.root.der, pki.issuingCa.der];
    expect(
      replacementCertificateFault(supplier().ds.der, SUPPLIER_DS, { ...context, certificationPath: path }),
    ).toBeUndefined();
  });
});

describe('issuer and certification path', () => {
  it('signed by a key that is not the Issuing CA (a forgery naming it as issuer): refused', () => {
    const forged = resignedCertificate(supplier().ds.der, deriveKeyPair('forger', 'ds').privateKey);
    expect(replacementCertificateFault(forged, SUPPLIER_DS, context)).toMatch(/did not sign it/);
  });

  it('a tampered signature: refused', () => {
    const tampered = Uint8Array.from(supplier().ds.der);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0x01;
    expect(replacementCertificateFault(tampered, SUPPLIER_DS, context)).toMatch(/did not sign it/);
  });

  it("a whole chain of the forger's own (its Issuing CA with the same name, not under the device's Root): refused", () => {
    const forged = otherPki.organisation('supplier-b').ds.der;
    expect(
      replacementCertificateFault(forged, SUPPLIER_DS, {
        ...context,
        certificationPath: [otherPki.issuingCa.der],
      }),
    ).toMatch(/not signed by the Root the device holds/);
  });

  it('no Issuing CA certificate in the path, or a device with no Root: refused', () => {
    expect(
      replacementCertificateFault(supplier().ds.der, SUPPLIER_DS, { ...context, certificationPath: [] }),
    ).toMatch(/holds no certificate of its issuer/);
    expect(
      replacementCertificateFault(supplier().ds.der, SUPPLIER_DS, { ...context, rootPublicKey: undefined }),
    ).toMatch(/holds no Root/);
  });

  it("a certificate with the Issuing CA's name and key, signed by the Root, but no CA certificate (no cA, no keyCertSign): refused", async () => {
    const issuer = new CertificateIssuer(new Date(NOW - YEAR), new Date(NOW + YEAR));
    const caName = authoritySubject('trialsim SMKI test issuing CA', 'issuingAuthority');
    const rootName = authoritySubject('trialsim SMKI test root CA', 'root');
    const { der: notACa } = await issuer.issue({
      serialNumber: '7e57',
      subject: caName,
      publicKey: pki.issuingCa.keys.publicKey,
      issuer: await issuer.authority(rootName, pki.root.keys),
      extensions: organisationExtensions(
        'digitalSignature',
        pki.issuingCa.keys.publicKey,
        pki.root.keys.publicKey,
      ),
    });
    expect(
      replacementCertificateFault(supplier().ds.der, SUPPLIER_DS, {
        ...context,
        certificationPath: [notACa],
      }),
    ).toMatch(/is not a CA certificate/);
  });
});

describe('key usage and role against the target cell', () => {
  it('a KA certificate into a DS cell, or a DS one into a KA cell: refused', () => {
    expect(replacementCertificateFault(supplier().ka.der, SUPPLIER_DS, context)).toMatch(
      /not exactly digitalSignature/,
    );
    expect(replacementCertificateFault(supplier().ds.der, SUPPLIER_KA, context)).toMatch(
      /not exactly keyAgreement/,
    );
  });

  it("a Supplier's certificate (OU 02) into a Network Operator cell: refused; the same key certified as Network Operator (OU 03): accepted", () => {
    const cell: TargetCell = { role: 'networkOperator', keyUsage: 'digitalSignature' };
    expect(replacementCertificateFault(supplier().ds.der, cell, context)).toMatch(/OU does not name/);
    const asOperator = resignedCertificate(
      supplier().ds.der,
      pki.issuingCa.keys.privateKey,
      withSubjectRole(3),
    );
    expect(replacementCertificateFault(asOperator, cell, context)).toBeUndefined();
  });
});

describe('validity, when time-based CPV checks apply', () => {
  const later = NOW + 10 * YEAR;
  const earlier = NOW - 2 * YEAR;

  it('expired, or not yet valid, with CPV checks on: refused', () => {
    expect(replacementCertificateFault(supplier().ds.der, SUPPLIER_DS, { ...context, now: later })).toMatch(
      /validity period/,
    );
    expect(replacementCertificateFault(supplier().ds.der, SUPPLIER_DS, { ...context, now: earlier })).toMatch(
      /validity period/,
    );
  });

  it('the same with CPV checks off (CS02b [1], DUIS ApplyTimeBasedCPVChecks false): accepted', () => {
    const off = { ...context, applyTimeBasedCpvChecks: false };
    expect(
      replacementCertificateFault(supplier().ds.der, SUPPLIER_DS, { ...off, now: later }),
    ).toBeUndefined();
    expect(
      replacementCertificateFault(supplier().ds.der, SUPPLIER_DS, { ...off, now: earlier }),
    ).toBeUndefined();
  });
});

describe('one defect, one check skipped (the mutants of MUTANTS.md)', () => {
  const NO: TargetCell = { role: 'networkOperator', keyUsage: 'digitalSignature' };
  type Case = { der: Uint8Array; cell: TargetCell; context: ReplacementCertificateContext };
  const EXPIRED = [new Date('2020-01-01T00:00:00Z'), new Date('2021-01-01T00:00:00Z')] as const;
  /** The real Issuing CA's certificate, edited and signed again by the Root: one thing wrong. */
  const issuingCaResigned = (edit: (tbs: Uint8Array) => Uint8Array) =>
    resignedCertificate(pki.issuingCa.der, pki.root.keys.privateKey, edit);
  const cases = (): Partial<Record<DeviceDefect, Case>> => ({
    'no-issuing-ca-root-check': {
      der: otherPki.organisation('supplier-b').ds.der,
      cell: SUPPLIER_DS,
      context: { ...context, certificationPath: [otherPki.issuingCa.der] },
    },
    'no-certificate-issuer-check': {
      der: resignedCertificate(supplier().ds.der, deriveKeyPair('forger', 'ds').privateKey),
      cell: SUPPLIER_DS,
      context,
    },
    'no-certificate-key-usage-check': { der: supplier().ka.der, cell: SUPPLIER_DS, context },
    'no-certificate-role-check': { der: supplier().ds.der, cell: NO, context },
    'no-certificate-validity-check': {
      der: resignedCertificate(supplier().ds.der, pki.issuingCa.keys.privateKey, withValidity(...EXPIRED)),
      cell: SUPPLIER_DS,
      context,
    },
    'no-issuing-ca-constraints-check': {
      der: supplier().ds.der,
      cell: SUPPLIER_DS,
      context: { ...context, certificationPath: [issuingCaResigned(withoutCertificateSigning)] },
    },
    'no-issuing-ca-validity-check': {
      der: supplier().ds.der,
      cell: SUPPLIER_DS,
      context: { ...context, certificationPath: [issuingCaResigned(withValidity(...EXPIRED))] },
    },
  });

  it('each case fails one check only: the device with that check skipped accepts it, with any other skipped it still refuses', () => {
    const all = cases();
    const defects = Object.keys(all) as DeviceDefect[];
    for (const [own, { der, cell, context: at }] of Object.entries(all) as [DeviceDefect, Case][]) {
      expect(replacementCertificateFault(der, cell, at), own).toBeDefined();
      for (const defect of defects) {
        const fault = replacementCertificateFault(der, cell, at, defect);
        if (defect === own) expect(fault, `${own} case, ${defect}`).toBeUndefined();
        else expect(fault, `${own} case, ${defect}`).toBeDefined();
      }
    }
  });
});

describe('malformed DER', () => {
  it('bytes that are no certificate, a truncated one, trailing bytes, an unreadable path: refused', () => {
    const good = supplier().ds.der;
    for (const bytes of [
      Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x05]),
      new Uint8Array(0),
      good.subarray(0, good.length - 10),
      Uint8Array.from([...good, 0x00]),
    ]) {
      expect(replacementCertificateFault(bytes, SUPPLIER_DS, context)).toBeDefined();
    }
    expect(
      replacementCertificateFault(good, SUPPLIER_DS, {
        ...context,
        certificationPath: [Uint8Array.from([1, 2])],
      }),
    ).toMatch(/certification path certificate 0/);
  });

  it('any change of one byte of the signed part (TBSCertificate) makes the certificate fail', () => {
    const good = supplier().ds.der;
    const outer = (asn1js.fromBER(Uint8Array.from(good)).result as asn1js.Sequence).valueBlock.value;
    const tbs = (outer[0] as asn1js.Sequence).valueBeforeDecodeView;
    const start = tbs.byteOffset;
    fc.assert(
      fc.property(
        fc.integer({ min: start, max: start + tbs.byteLength - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, delta) => {
          const changed = Uint8Array.from(good);
          changed[at] = ((changed[at] ?? 0) + delta) & 0xff;
          expect(replacementCertificateFault(changed, SUPPLIER_DS, context)).toBeDefined();
        },
      ),
      { seed: 23, numRuns: 150 },
    );
  });
});

describe('the memo of read certificates and verifications (the same bytes recur across a fleet)', () => {
  it('changes no answer: the same certificate under another Root, path or clock is judged afresh', () => {
    const der = supplier().ds.der;
    expect(replacementCertificateFault(der, SUPPLIER_DS, context)).toBeUndefined();
    expect(
      replacementCertificateFault(der, SUPPLIER_DS, {
        ...context,
        rootPublicKey: otherPki.root.keys.publicKey,
      }),
    ).toMatch(/not signed by the Root/);
    expect(
      replacementCertificateFault(der, SUPPLIER_DS, {
        ...context,
        certificationPath: [otherPki.issuingCa.der],
      }),
    ).toMatch(/not signed by the Root/);
    expect(replacementCertificateFault(der, SUPPLIER_DS, { ...context, now: NOW + 10 * YEAR })).toMatch(
      /validity/,
    );
    expect(replacementCertificateFault(der, SUPPLIER_DS, context)).toBeUndefined();
  });
});

describe('the DCC Boxed 6.15.1 template (ZAZ1 certificates, expired 2026-01-09, ApplyTimeBasedCPVChecks false)', () => {
  const xml = readFileSync(
    join(TEMPLATES_DIR, 'CS02bSupplierBySupplier_6.15.1_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML'),
    'utf8',
  );
  const base64 = (tag: string) =>
    Uint8Array.from(Buffer.from(new RegExp(`<sr:${tag}>([^<]+)<`).exec(xml)?.[1] ?? '', 'base64'));

  it("reads as SMKI certificates and fails only at the Root: its Issuing CA Z1 is ZA's, not the trialsim Root", () => {
    const zaz1 = { ...context, certificationPath: [base64('Certificate')], applyTimeBasedCpvChecks: false };
    expect(replacementCertificateFault(base64('DigitalSigningCertificate'), SUPPLIER_DS, zaz1)).toMatch(
      /Z1.* is not signed by the Root the device holds/,
    );
    expect(replacementCertificateFault(base64('KeyAgreementCertificate'), SUPPLIER_KA, zaz1)).toMatch(
      /Z1.* is not signed by the Root the device holds/,
    );
  });
});
