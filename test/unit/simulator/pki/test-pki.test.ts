import 'reflect-metadata';
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509Certificate,
} from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Eui, parseEui } from '../../../../simulator/domain/eui.js';
import { readCertificateIdentity } from '../../../../simulator/domain/smki/certificate-identity.js';
import { decodeObjectIdentifier, readDer, readDerChildren } from '../../../../simulator/domain/smki/der.js';
import { p256Spki } from '../../../../simulator/domain/smki/key-encoding.js';
import { REMOTE_PARTY_ROLE_CODES } from '../../../../simulator/domain/smki/remote-party-roles.js';
import {
  generateTestPki,
  type IssuedCertificate,
  type PkiSpec,
  type TestPki,
} from '../../../../simulator/pki/test-pki.js';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const NOT_BEFORE = Date.UTC(2025, 2, 1, 9, 30, 15, 250);

function deviceEuis(count: number): Eui[] {
  return Array.from({ length: count }, (_, i) =>
    parseEui(
      `00-0D-6F-00-00-A1-${(i >> 8).toString(16).padStart(2, '0')}-${(i & 0xff).toString(16).padStart(2, '0')}`,
    ),
  );
}

const SPEC: PkiSpec = {
  seed: 'trial-2025',
  notBefore: NOT_BEFORE,
  organisations: [
    { name: 'supplier-a', eui: parseEui('90-B3-D5-1F-30-01-00-00'), role: 'supplier' },
    { name: 'supplier-b', eui: parseEui('90-B3-D5-1F-30-03-00-00'), role: 'supplier' },
    { name: 'dno', eui: parseEui('90-B3-D5-1F-30-02-00-00'), role: 'networkOperator' },
    { name: 'acb', eui: parseEui('90-B3-D5-1F-30-00-00-02'), role: 'accessControlBroker' },
    { name: 'cos', eui: parseEui('90-B3-D5-1F-30-00-00-05'), role: 'transitionalCoS' },
    { name: 'odd-one', eui: parseEui('90-B3-D5-1F-30-00-00-7F'), role: 'other' },
  ],
  devices: deviceEuis(100),
};

const toHex = (bytes: Uint8Array | ArrayBuffer): string => Buffer.from(new Uint8Array(bytes)).toString('hex');

function allCertificates(pki: TestPki): IssuedCertificate[] {
  return [
    pki.root,
    pki.issuingCa,
    ...pki.organisations.flatMap((o) => [o.ds, o.ka]),
    ...pki.devices.flatMap((d) => [d.ds, d.ka]),
  ];
}

function keyUsageExtensions(certificate: X509Certificate): KeyUsagesExtension[] {
  return certificate.extensions.filter((e): e is KeyUsagesExtension => e instanceof KeyUsagesExtension);
}

const EXPECTED_FLAG = {
  digitalSignature: KeyUsageFlags.digitalSignature,
  keyAgreement: KeyUsageFlags.keyAgreement,
};

let pki: TestPki;
let issuingCa: X509Certificate;

beforeAll(async () => {
  pki = await generateTestPki(SPEC);
  issuingCa = new X509Certificate(pki.issuingCa.der);
});

describe('determinism', () => {
  it('same spec gives byte-identical DER and PEM for every certificate', async () => {
    const again = await generateTestPki(SPEC);
    const first = allCertificates(pki);
    const second = allCertificates(again);
    expect(second).toHaveLength(first.length);
    first.forEach((certificate, i) => {
      expect(toHex(second[i]?.der ?? new Uint8Array())).toBe(toHex(certificate.der));
      expect(second[i]?.pem).toBe(certificate.pem);
      expect(second[i]?.serialNumber).toBe(certificate.serialNumber);
    });
  });

  it('a different seed gives different keys, serial numbers and certificates', async () => {
    const other = await generateTestPki({ ...SPEC, seed: 'trial-2026', devices: SPEC.devices.slice(0, 2) });
    const pairs: [IssuedCertificate, IssuedCertificate][] = [
      [pki.root, other.root],
      [pki.organisation('supplier-a').ds, other.organisation('supplier-a').ds],
      [pki.devices[0]?.ka as IssuedCertificate, other.devices[0]?.ka as IssuedCertificate],
    ];
    for (const [mine, theirs] of pairs) {
      expect(toHex(theirs.keys.privateKey)).not.toBe(toHex(mine.keys.privateKey));
      expect(theirs.serialNumber).not.toBe(mine.serialNumber);
      expect(toHex(theirs.der)).not.toBe(toHex(mine.der));
    }
  });

  it('adding or removing parties leaves every other credential unchanged', async () => {
    const smaller = await generateTestPki({
      ...SPEC,
      organisations: SPEC.organisations.slice(1),
      devices: SPEC.devices.slice(50),
    });
    expect(toHex(smaller.organisation('dno').ka.der)).toBe(toHex(pki.organisation('dno').ka.der));
    const eui = SPEC.devices[60] as Eui;
    expect(toHex(smaller.device(eui).ds.der)).toBe(toHex(pki.device(eui).ds.der));
  });

  it('every key pair and serial number in one PKI is distinct', () => {
    const certificates = allCertificates(pki);
    expect(new Set(certificates.map((c) => toHex(c.keys.privateKey))).size).toBe(certificates.length);
    expect(new Set(certificates.map((c) => c.serialNumber)).size).toBe(certificates.length);
  });
});

describe('certificate authorities', () => {
  it('root is self-signed; issuing CA is signed by the root; both CA with critical keyCertSign + cRLSign', async () => {
    const root = new X509Certificate(pki.root.der);
    expect(await root.verify({ signatureOnly: true })).toBe(true);
    expect(await issuingCa.verify({ publicKey: root.publicKey, signatureOnly: true })).toBe(true);
    expect(issuingCa.issuer).toBe(root.subject);
    for (const ca of [root, issuingCa]) {
      const constraints = ca.getExtension(BasicConstraintsExtension);
      expect(constraints?.ca).toBe(true);
      expect(constraints?.critical).toBe(true);
      const [usage, ...more] = keyUsageExtensions(ca);
      expect(more).toHaveLength(0);
      expect(usage?.critical).toBe(true);
      expect(usage?.usages).toBe(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign);
    }
    expect(issuingCa.getExtension(BasicConstraintsExtension)?.pathLength).toBe(0);
  });

  it('CA subjects carry their role code in OU (root 00, issuing authority 07)', () => {
    expect(new X509Certificate(pki.root.der).subjectName.getField('OU')).toEqual(['00']);
    expect(issuingCa.subjectName.getField('OU')).toEqual(['07']);
    expect(readCertificateIdentity(pki.root.der)).toBeUndefined();
  });
});

describe('end-entity certificates (DCC.md §7)', () => {
  it('every organisation and device certificate verifies against the issuing CA (x509 and node:crypto)', async () => {
    const nodeIssuer = new NodeX509Certificate(pki.issuingCa.der);
    const endEntities = [...pki.organisations, ...pki.devices].flatMap((p) => [p.ds, p.ka]);
    for (const issued of endEntities) {
      const certificate = new X509Certificate(issued.der);
      expect(await certificate.verify({ publicKey: issuingCa.publicKey, signatureOnly: true })).toBe(true);
      expect(certificate.issuer).toBe(issuingCa.subject);
      expect(new NodeX509Certificate(issued.der).verify(nodeIssuer.publicKey)).toBe(true);
    }
  });

  it('every end-entity certificate has exactly one key usage, critical, matching DS/KA', () => {
    for (const party of [...pki.organisations, ...pki.devices]) {
      for (const [issued, expected] of [
        [party.ds, 'digitalSignature'],
        [party.ka, 'keyAgreement'],
      ] as const) {
        const usages = keyUsageExtensions(new X509Certificate(issued.der));
        expect(usages).toHaveLength(1);
        expect(usages[0]?.critical).toBe(true);
        expect(usages[0]?.usages).toBe(EXPECTED_FLAG[expected]);
        expect(issued.keyUsage).toBe(expected);
      }
    }
  });

  it('every certificate holds its own P-256 public key, ECDSA-with-SHA256, and the serial it reports', () => {
    for (const issued of allCertificates(pki)) {
      const certificate = new X509Certificate(issued.der);
      expect(toHex(certificate.publicKey.rawData)).toBe(toHex(p256Spki(issued.keys.publicKey)));
      const [, signatureAlgorithm] = readDerChildren(readDer(issued.der).content);
      const [algorithmId] = readDerChildren(signatureAlgorithm?.content ?? new Uint8Array());
      expect(decodeObjectIdentifier(algorithmId?.content ?? new Uint8Array())).toBe(ECDSA_WITH_SHA256);
      expect(certificate.serialNumber).toBe(issued.serialNumber);
      expect(issued.serialNumber.length).toBeLessThanOrEqual(40);
      expect(Number.parseInt(issued.serialNumber.slice(0, 2), 16)).toBeLessThan(0x80);
    }
  });

  it('organisation subject: OU = role code as 2-digit hex, CN = name, x500UniqueIdentifier = EUI', () => {
    for (const organisation of pki.organisations) {
      const code = REMOTE_PARTY_ROLE_CODES[organisation.role];
      for (const issued of [organisation.ds, organisation.ka]) {
        const subject = new X509Certificate(issued.der).subjectName;
        expect(subject.getField('OU')).toEqual([code.toString(16).padStart(2, '0').toUpperCase()]);
        expect(subject.getField('CN')).toEqual([organisation.name]);
        expect(readCertificateIdentity(issued.der)).toEqual({
          kind: 'organisation',
          eui: organisation.eui,
          roleCode: code,
          role: organisation.role,
        });
      }
    }
    expect(new X509Certificate(pki.organisation('odd-one').ds.der).subjectName.getField('OU')).toEqual([
      '7F',
    ]);
  });

  it('device certificate: empty subject, EUI in critical subjectAltName hardwareModuleName', () => {
    for (const device of pki.devices) {
      for (const issued of [device.ds, device.ka]) {
        const certificate = new X509Certificate(issued.der);
        expect(certificate.subject).toBe('');
        const san = certificate.getExtension('2.5.29.17');
        expect(san?.critical).toBe(true);
        expect(readCertificateIdentity(issued.der)).toEqual({ kind: 'device', eui: device.eui });
      }
    }
  });

  it('validity runs from the spec notBefore (whole seconds) for validityYears calendar years', async () => {
    const certificate = new X509Certificate(pki.organisation('dno').ds.der);
    expect(certificate.notBefore.toISOString()).toBe('2025-03-01T09:30:15.000Z');
    expect(certificate.notAfter.toISOString()).toBe('2050-03-01T09:30:15.000Z');
    const short = await generateTestPki({ ...SPEC, validityYears: 2, devices: [] });
    expect(new X509Certificate(short.root.der).notAfter.toISOString()).toBe('2027-03-01T09:30:15.000Z');
  });
});

describe('lookups and spec validation', () => {
  it('organisation() and device() find credentials; unknown ones throw naming the known ones', () => {
    expect(pki.organisation('dno').role).toBe('networkOperator');
    const eui = SPEC.devices[7] as Eui;
    expect(pki.device(eui).eui).toBe(eui);
    expect(() => pki.organisation('supplier-z')).toThrow(/"supplier-z".*supplier-a, supplier-b, dno/);
    expect(() => pki.device(parseEui('FF-FF-FF-FF-FF-FF-FF-FF'))).toThrow(
      /FF-FF-FF-FF-FF-FF-FF-FF.*00-0D-6F/,
    );
  });

  it('rejects duplicate names and EUIs, malformed EUIs, unknown roles and bad validity', async () => {
    const org = SPEC.organisations[0] as PkiSpec['organisations'][number];
    const bad: [Partial<PkiSpec>, RegExp][] = [
      [{ seed: '' }, /seed/],
      [{ validityYears: 0 }, /validityYears/],
      [{ organisations: [org, org] }, /listed twice/],
      [{ organisations: [org, { ...org, name: 'other' }] }, /two organisations/],
      [{ organisations: [{ ...org, eui: '90B3' as Eui }] }, /malformed EUI/],
      [{ organisations: [{ ...org, role: 'dcc' as 'other' }] }, /unknown role/],
      [{ devices: [SPEC.devices[0] as Eui, SPEC.devices[0] as Eui] }, /listed twice/],
    ];
    for (const [change, message] of bad) {
      await expect(generateTestPki({ ...SPEC, devices: [], ...change })).rejects.toThrow(message);
    }
  });
});

describe('coverage of the spec', () => {
  // Speed is measured by `npm run bench`, not asserted here (no timing assertions in tests).
  it('issues DS and KA certificates for 6 organisations and 100 devices, plus the two CAs (214)', () => {
    expect(allCertificates(pki)).toHaveLength(214);
  });
});
