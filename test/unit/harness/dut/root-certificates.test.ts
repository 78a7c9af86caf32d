import { beforeAll, describe, expect, it } from 'vitest';
import {
  nextRootKeys,
  ROOT_VARIANTS,
  type RootVariant,
  rootCertificate,
} from '../../../../harness/dut/crafted/root-certificates.js';
import type { DeviceDefect } from '../../../../simulator/domain/device/device-defects.js';
import { rootCertificateFault } from '../../../../simulator/domain/device/root-certificate-checks.js';
import { readCertificatePublicKey } from '../../../../simulator/domain/gbcs/payloads/asn1/certificate-subject.js';
import { generateTestPki, type TestPki } from '../../../../simulator/pki/index.js';

/**
 * The new Roots the conformance cases put into a CS02b Root replacement
 * (conformance-credential-replacement.yaml): each bad one must fail exactly its own check, or the
 * mutant that skips only that check would survive unnoticed.
 */
const NOW = Date.UTC(2027, 0, 4, 9);
let pki: TestPki;

beforeAll(async () => {
  pki = await generateTestPki({
    seed: 'root-certificates',
    notBefore: NOW - 86_400_000,
    organisations: [],
    devices: [],
  });
});

const CAUGHT_ONLY_BY: Readonly<Record<RootVariant, DeviceDefect | undefined>> = {
  selfSigned: undefined,
  notSelfSigned: 'no-root-self-signature-check',
  notCa: 'no-root-ca-check',
};

function faultOf(variant: RootVariant, defect?: DeviceDefect) {
  return rootCertificateFault(
    rootCertificate(pki, variant),
    { role: 'root', keyUsage: 'digitalSignature' },
    {
      certificationPath: [],
      rootPublicKey: pki.root.keys.publicKey,
      applyTimeBasedCpvChecks: true,
      now: NOW,
    },
    defect,
  );
}

describe('new Roots for the conformance cases', () => {
  it('selfSigned is a Root the device takes, and certifies the next Root key', () => {
    expect(faultOf('selfSigned')).toBeUndefined();
    expect(readCertificatePublicKey(rootCertificate(pki, 'selfSigned'))).toEqual(nextRootKeys(pki).publicKey);
  });

  for (const variant of ROOT_VARIANTS.filter((v) => CAUGHT_ONLY_BY[v] !== undefined)) {
    it(`${variant}: refused, and accepted only by the device that skips ${CAUGHT_ONLY_BY[variant]}`, () => {
      expect(faultOf(variant)).toBeDefined();
      for (const defect of Object.values(CAUGHT_ONLY_BY)) {
        if (defect === undefined) continue;
        if (defect === CAUGHT_ONLY_BY[variant]) expect(faultOf(variant, defect), defect).toBeUndefined();
        else expect(faultOf(variant, defect), defect).toBeDefined();
      }
    });
  }
});
