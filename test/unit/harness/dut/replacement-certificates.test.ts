import { p256 } from '@noble/curves/nist.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CERTIFICATE_VARIANTS,
  type CertificateVariant,
  certificationPathFor,
  replacementCertificate,
} from '../../../../harness/dut/crafted/replacement-certificates.js';
import type { DeviceDefect } from '../../../../simulator/domain/device/device-defects.js';
import { replacementCertificateFault } from '../../../../simulator/domain/device/replacement-certificate-checks.js';
import { parseEui } from '../../../../simulator/domain/eui.js';
import { readCertificateSubject } from '../../../../simulator/domain/gbcs/payloads/asn1/certificate-subject.js';
import { isUncompressedP256Point } from '../../../../simulator/domain/smki/key-encoding.js';
import { generateTestPki, type TestPki } from '../../../../simulator/pki/index.js';

/**
 * The certificates the conformance cases put into CS02b (conformance-credential-replacement.yaml):
 * each bad one must be wrong in exactly its own way, or a device that skips only that check
 * would still refuse it for another reason and its mutant would survive unnoticed.
 */
const NOW = Date.UTC(2027, 0, 4, 9);
let pki: TestPki;

beforeAll(async () => {
  pki = await generateTestPki({
    seed: 'replacement-certificates',
    notBefore: NOW - 86_400_000,
    organisations: [{ name: 'supplier-c', eui: parseEui('90-B3-D5-1F-30-04-00-00'), role: 'supplier' }],
    devices: [],
  });
});

const EXPECTED_FAULT: Readonly<Record<CertificateVariant, RegExp | undefined>> = {
  issued: undefined,
  // Signed by the Issuing CA: only the key itself is wrong (the device's P-256 check, not this one).
  keyNotOnCurve: undefined,
  forgedIssuer: /did not sign it/,
  ownRole: /OU does not name the networkOperator role/,
  swappedKeyUsage: /key usage is not exactly digitalSignature/,
  expired: /outside its validity period/,
  rogueIssuingCa: /not signed by the Root the device holds/,
  issuingCaNotCa: /is not a CA certificate/,
  issuingCaExpired: /its issuer .* is outside its validity period/,
  // Its Issuing CA is signed by the next Root, not the one this device holds.
  underNextRoot: /not signed by the Root the device holds/,
};

/** The one check each bad variant is written to fail: the defect that skips it lets it through. */
const CAUGHT_ONLY_BY: Readonly<Partial<Record<CertificateVariant, DeviceDefect>>> = {
  forgedIssuer: 'no-certificate-issuer-check',
  ownRole: 'no-certificate-role-check',
  swappedKeyUsage: 'no-certificate-key-usage-check',
  expired: 'no-certificate-validity-check',
  rogueIssuingCa: 'no-issuing-ca-root-check',
  issuingCaNotCa: 'no-issuing-ca-constraints-check',
  issuingCaExpired: 'no-issuing-ca-validity-check',
};

function faultOf(variant: CertificateVariant, defect?: DeviceDefect) {
  const org = pki.organisation('supplier-c');
  return replacementCertificateFault(
    replacementCertificate(pki, org, 'networkOperator', 'digitalSignature', variant),
    { role: 'networkOperator', keyUsage: 'digitalSignature' },
    {
      certificationPath: certificationPathFor(pki, variant),
      rootPublicKey: pki.root.keys.publicKey,
      applyTimeBasedCpvChecks: true,
      now: NOW,
    },
    defect,
  );
}

describe('CS02b replacement certificates for the conformance cases', () => {
  for (const variant of CERTIFICATE_VARIANTS) {
    it(`${variant}: into a Network Operator DS cell, ${EXPECTED_FAULT[variant] === undefined ? 'passes the certificate checks' : `refused: ${EXPECTED_FAULT[variant]}`}`, () => {
      const org = pki.organisation('supplier-c');
      const der = replacementCertificate(pki, org, 'networkOperator', 'digitalSignature', variant);
      const fault = faultOf(variant);
      const expected = EXPECTED_FAULT[variant];
      if (expected === undefined) expect(fault).toBeUndefined();
      else expect(fault).toMatch(expected);
      // Every variant still names supplier-c: the subject is never what is wrong.
      expect(readCertificateSubject(der)?.eui).toBe(org.eui);
    });
  }

  it('each bad variant is wrong in exactly one way: only the device that skips that one check accepts it', () => {
    const defects = Object.values(CAUGHT_ONLY_BY);
    for (const [variant, own] of Object.entries(CAUGHT_ONLY_BY) as [CertificateVariant, DeviceDefect][]) {
      for (const defect of defects) {
        if (defect === own) expect(faultOf(variant, defect), `${variant} with ${defect}`).toBeUndefined();
        else
          expect(faultOf(variant, defect), `${variant} with ${defect}`).toMatch(
            EXPECTED_FAULT[variant] as RegExp,
          );
      }
    }
  });

  it('keyNotOnCurve carries a 65-byte uncompressed point that is not on P-256', () => {
    const org = pki.organisation('supplier-c');
    const der = replacementCertificate(pki, org, 'networkOperator', 'digitalSignature', 'keyNotOnCurve');
    const key = readCertificateSubject(der)?.publicKey ?? new Uint8Array(0);
    expect(isUncompressedP256Point(key)).toBe(true);
    expect(() => p256.Point.fromBytes(key).assertValidity()).toThrow();
  });
});
