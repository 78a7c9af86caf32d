import { describe, expect, it } from 'vitest';
import type { Eui } from '../../../../simulator/domain/eui.js';
import { DeviceCertificateTemplate } from '../../../../simulator/pki/device-certificate-template.js';
import { generateTestPki } from '../../../../simulator/pki/test-pki.js';

const SPEC = { seed: 'template-check', notBefore: Date.UTC(2025, 0, 1), organisations: [] };
const euis = Array.from(
  { length: 12 },
  (_, i) =>
    `00-12-4B-00-00-00-${(i >> 8).toString(16).padStart(2, '0')}-${(i & 255).toString(16).padStart(2, '0')}`.toUpperCase() as Eui,
);

describe('device certificates by template (the fast path of generateTestPki)', () => {
  it('every device certificate is byte-identical to the one @peculiar/x509 builds for that device alone', async () => {
    const fleet = await generateTestPki({ ...SPEC, devices: euis });
    for (const eui of euis.slice(1)) {
      // A PKI of one device builds that device's certificates with the library itself.
      const alone = await generateTestPki({ ...SPEC, devices: [eui] });
      for (const usage of ['ds', 'ka'] as const) {
        expect(
          Buffer.from(fleet.device(eui)[usage].der).equals(Buffer.from(alone.device(eui)[usage].der)),
        ).toBe(true);
        expect(fleet.device(eui)[usage].pem).toBe(alone.device(eui)[usage].pem);
      }
    }
  });

  it('declines a template whose fields it cannot find exactly once (the library is used instead)', async () => {
    const pki = await generateTestPki({ ...SPEC, devices: euis.slice(0, 1) });
    const first = pki.device(euis[0] as Eui).ka;
    const fields = {
      der: first.der,
      serialNumber: first.serialNumber,
      eui: euis[0] as Eui,
      publicKey: first.keys.publicKey,
    };
    expect(DeviceCertificateTemplate.from(fields)).toBeDefined();
    expect(
      DeviceCertificateTemplate.from({ ...fields, publicKey: new Uint8Array(65).fill(9) }),
    ).toBeUndefined();
    expect(DeviceCertificateTemplate.from({ ...fields, der: first.der.subarray(0, 100) })).toBeUndefined();
  });
});
