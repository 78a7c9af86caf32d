import { beforeAll, describe, expect, it } from 'vitest';
import {
  resignedCertificate,
  withoutCertificateSigning,
} from '../../../../../harness/dut/crafted/resigned-certificate.js';
import type { DeviceDefect } from '../../../../../simulator/domain/device/device-defects.js';
import {
  type ReplacementCertificateContext,
  replacementCertificateFault,
  type TargetCell,
} from '../../../../../simulator/domain/device/replacement-certificate-checks.js';
import { rootCertificateFault } from '../../../../../simulator/domain/device/root-certificate-checks.js';
import { parseEui } from '../../../../../simulator/domain/eui.js';
import { deriveKeyPair } from '../../../../../simulator/domain/smki/key-pair.js';
import {
  issuingCaCertificate,
  organisationCertificate,
  rootCertificate,
  THROW_AWAY_ROOT,
} from '../../../../support/organisation-certificates.js';

/** What a device checks about a new Root a CS02b puts into its Root cell (root-certificate-checks.ts). */
const NOW = Date.parse('2027-01-04T09:00:00Z');
const NEXT_ROOT = deriveKeyPair('root-certificate-checks', 'next-root');
const ROOT_DS: TargetCell = { role: 'root', keyUsage: 'digitalSignature' };
const context: ReplacementCertificateContext = {
  certificationPath: [],
  rootPublicKey: THROW_AWAY_ROOT.publicKey,
  applyTimeBasedCpvChecks: true,
  now: NOW,
};

let good: Uint8Array;
/** Each bad one differs from `good` in one way only, and the defect that skips that check lets it in. */
let bad: Record<string, { der: Uint8Array; fault: RegExp; skippedBy: DeviceDefect; cell?: TargetCell }>;

beforeAll(async () => {
  good = await rootCertificate(NEXT_ROOT);
  bad = {
    'signed by the old Root, not by its own key': {
      der: await rootCertificate(NEXT_ROOT, { signer: THROW_AWAY_ROOT }),
      fault: /not self-signed/,
      skippedBy: 'no-root-self-signature-check',
    },
    'a self-signed certificate whose key may not sign certificates (digitalSignature, not keyCertSign)': {
      der: resignedCertificate(good, NEXT_ROOT.privateKey, withoutCertificateSigning),
      fault: /not a CA certificate/,
      skippedBy: 'no-root-ca-check',
    },
    'a good Root, but into the Root keyAgreement cell': {
      der: good,
      fault: /not a CA certificate .* \(target: keyAgreement\)/,
      skippedBy: 'no-root-ca-check',
      cell: { role: 'root', keyUsage: 'keyAgreement' },
    },
    'a self-signed CA whose OU names the Issuing Authority (07), not the Root (00)': {
      der: await rootCertificate(NEXT_ROOT, { role: 'issuingAuthority' }),
      fault: /OU does not name the root role/,
      skippedBy: 'no-certificate-role-check',
    },
    'a self-signed Root that expired before the device time, with CPV checks on': {
      der: await rootCertificate(NEXT_ROOT, { notAfter: new Date('2026-06-01T00:00:00Z') }),
      fault: /outside its validity period/,
      skippedBy: 'no-certificate-validity-check',
    },
  };
});

describe('a new Root', () => {
  it('self-signed, a CA (cA, keyCertSign), OU 00, valid: accepted into the Root DS cell, with no certification path', () => {
    expect(rootCertificateFault(good, ROOT_DS, context)).toBeUndefined();
    // Checked as an organisation certificate it would fail: no Issuing CA is above a Root.
    expect(replacementCertificateFault(good, ROOT_DS, context)).toMatch(/holds no certificate of its issuer/);
  });

  it('accepted whatever Root the device holds, or none: nothing above a Root vouches for it', () => {
    expect(rootCertificateFault(good, ROOT_DS, { ...context, rootPublicKey: undefined })).toBeUndefined();
  });

  it('each wrong one is refused for its own reason, and only the device that skips that check takes it', () => {
    const defects = [...new Set(Object.values(bad).map((b) => b.skippedBy))];
    for (const [what, { der, fault, skippedBy, cell }] of Object.entries(bad)) {
      expect(rootCertificateFault(der, cell ?? ROOT_DS, context), what).toMatch(fault);
      for (const defect of defects) {
        const withDefect = rootCertificateFault(der, cell ?? ROOT_DS, context, defect);
        if (defect === skippedBy) expect(withDefect, `${what} with ${defect}`).toBeUndefined();
        else expect(withDefect, `${what} with ${defect}`).toMatch(fault);
      }
    }
  });

  it('expired, with time-based CPV checks disapplied (CS02b [1]): accepted', () => {
    const expired = bad['a self-signed Root that expired before the device time, with CPV checks on']?.der;
    expect(
      rootCertificateFault(expired as Uint8Array, ROOT_DS, { ...context, applyTimeBasedCpvChecks: false }),
    ).toBeUndefined();
  });

  it("the Issuing CA's certificate (signed by the Root, not self-signed) and an organisation certificate are no Root", async () => {
    expect(rootCertificateFault(await issuingCaCertificate(), ROOT_DS, context)).toMatch(/not self-signed/);
    const organisation = await organisationCertificate(
      { eui: parseEui('00-00-00-00-00-00-00-00'), role: 'root' },
      'digitalSignature',
      NEXT_ROOT,
    );
    expect(rootCertificateFault(organisation, ROOT_DS, context)).toMatch(/not self-signed/);
  });

  it('bytes that are no certificate, or a Root whose signature was tampered with: refused', () => {
    expect(rootCertificateFault(Uint8Array.from([0x30, 0x00]), ROOT_DS, context)).toMatch(/new Root/);
    const tampered = Uint8Array.from(good);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 0x01;
    expect(rootCertificateFault(tampered, ROOT_DS, context)).toMatch(/not self-signed/);
  });
});
