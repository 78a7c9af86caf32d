import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../../harness/package-root.js';
import { DuisSchema } from '../../../../../simulator/adapters/duis-http/xsd-validator.js';
import { SRV_CATALOGUE } from '../../../../../simulator/domain/duis/srv-catalogue.js';
import {
  decodeDuisRequest,
  encodeDuisRequest,
} from '../../../../../simulator/domain/duis/xml/duis-request-xml.js';
import { parseXml } from '../../../../../simulator/domain/duis/xml/duis-xml.js';
import { lookupService } from '../../../../../simulator/domain/services/service-catalogue.js';
import { GBCS_VECTORS } from '../gbcs/gbcs-fixtures.js';

const schema = await DuisSchema.load(join(FIXTURES_DIR, 'duis', 'xsd'));
const USER = '90-B3-D5-1F-30-01-00-00';
const DCC = '00-DB-12-34-56-78-90-A0';
const DEVICE = '00-12-4B-00-00-00-01-01';
const CHF = '00-12-4B-00-00-00-00-01';

// Real SMKI certificates (the RTDS key set, GBCS.md §10): what a User's 6.15.1 carries.
const rtds = (name: string) => {
  const pem = readFileSync(join(GBCS_VECTORS, 'keys', name), 'utf8');
  return Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
};
const krpBody = () => ({
  replacementMode: 'networkOperatorByNetworkOperator',
  replacements: [
    {
      role: 'networkOperator',
      keyUsage: 'digitalSignature',
      cellUsage: 'management',
      certificate: rtds('90b3d51f30010000-ds.pem'),
      originatorCounterFloor: 5000,
    },
    {
      role: 'networkOperator',
      keyUsage: 'keyAgreement',
      cellUsage: 'management',
      certificate: rtds('90b3d51f30010000-ka.pem'),
      originatorCounterFloor: 5000,
    },
  ],
  certificationPath: [rtds('90b3d51f30010000-ds.pem')],
  applyTimeBasedCpvChecks: false,
});
const krpRequest = (body: Record<string, unknown>) => ({
  requestId: `${USER}:${DEVICE}:7`,
  commandVariant: 4,
  serviceReference: '6.15',
  serviceReferenceVariant: '6.15.1',
  body,
});

/** What trialsim's own User agents send for each SRV (request-bodies.ts defaults and scenario bodies). */
const BODIES: Record<string, Record<string, unknown>> = {
  '12.2': {
    deviceId: DEVICE,
    deviceType: 'ESME',
    manufacturer: 'Acme Meters Ltd',
    model: 'ACME-E-TRIAL',
    firmwareVersion: '0.9.0',
  },
  '8.2': { deviceId: DEVICE },
  '8.3': { deviceId: DEVICE },
  '8.4': { deviceId: DEVICE, status: 'InstalledNotCommissioned' },
  '8.11': { action: 'add', deviceId: DEVICE },
  '11.1': { deviceIds: [DEVICE], firmwareVersion: '1.0.0', image: new Uint8Array([1, 2, 3, 4]) },
  '8.14.1': { deviceId: CHF },
  '8.14.2': { deviceId: CHF },
  '8.14.3': { deviceId: CHF },
  '8.14.4': { deviceId: CHF },
};

/** Encoded with trialsim's defaults, the XSD says these are DUIS; those left out need certificates. */
const needsCertificates = new Set(['6.15.1']);

describe("trialsim's own request bodies written as DUIS 5.4", () => {
  const srvs = [...SRV_CATALOGUE.values()].filter((d) => d.implemented && !d.critical && d.nonDevice);
  for (const def of srvs) {
    if (needsCertificates.has(def.srv)) continue;
    it(`${def.srv} ${def.name}: XSD-valid, and read back to the same device`, async () => {
      const body = BODIES[def.srv] ?? { deviceId: DEVICE };
      const xml = encodeDuisRequest(
        {
          requestId: `${USER}:${DCC}:7`,
          commandVariant: 8,
          serviceReference: def.srv,
          serviceReferenceVariant: def.srv,
          body,
        },
        { requestCounter: 7 },
      );
      expect(await schema.validate(xml)).toEqual({ valid: true });
      const back = decodeDuisRequest(parseXml(xml)).request.body as Record<string, unknown>;
      if (body.deviceId !== undefined) expect(back.deviceId).toBe(body.deviceId);
    });
  }

  it('6.15.1 with the replacement certificates: XSD-valid UpdateSecurityCredentialsKRP, read back to the same certificates, floor and path', async () => {
    const xml = encodeDuisRequest(krpRequest(krpBody()), { requestCounter: 7 });
    expect(await schema.validate(xml)).toEqual({ valid: true });
    expect(xml).toContain('<sr:RemotePartyRole>NetworkOperator</sr:RemotePartyRole>');
    const back = decodeDuisRequest(parseXml(xml)).request.body;
    expect(back).toEqual(krpBody());
    expect(lookupService('6.15.1')?.requestBody?.safeParse(back).success).toBe(true);
  });

  it('6.15.1 that DUIS cannot carry is refused with a DuisXmlError naming why', () => {
    const refused = (body: Record<string, unknown>) => () =>
      encodeDuisRequest(krpRequest(body), { requestCounter: 7 });
    const [ds] = krpBody().replacements;
    // A bare key, as trialsim's first 6.15.1 body had it: DUIS carries certificates.
    expect(
      refused({ ...krpBody(), replacements: [{ ...ds, certificate: undefined, publicKey: '04ab' }] }),
    ).toThrow(/carries certificates: the networkOperator digitalSignature management cell has none/);
    // A cell of another party than the mode's: RemotePartyRole names one party for every certificate.
    expect(refused({ ...krpBody(), replacements: [{ ...ds, role: 'supplier' }] })).toThrow(
      /one certificate per NetworkOperator cell .*, not supplier digitalSignature/,
    );
    expect(refused({ ...krpBody(), replacements: [ds, ds] })).toThrow(
      /one certificate per NetworkOperator cell/,
    );
    expect(refused({ ...krpBody(), certificationPath: [] })).toThrow(/CertificationPathCertificates/);
    expect(refused({ ...krpBody(), replacementMode: 'rootBySupplier' })).toThrow(/no RemotePartyRole/);
  });
});

describe('SRVs trialsim does not model, written as DUIS so its DCC can refuse them itself', () => {
  const request = (srv: string, body: Record<string, unknown>) => ({
    requestId: `${USER}:${DEVICE}:7`,
    commandVariant: 1,
    serviceReference: srv,
    serviceReferenceVariant: srv,
    body,
  });

  it('3.2 is a RestrictAccessForChangeOfTenancy the XSD accepts, read back with its RestrictionDateTime', async () => {
    const xml = encodeDuisRequest(request('3.2', { restrictionDateTime: '2027-01-01T00:00:00Z' }), {
      requestCounter: 7,
    });
    expect(xml).toContain(
      '<sr:RestrictAccessForChangeOfTenancy><sr:RestrictionDateTime>2027-01-01T00:00:00Z</sr:RestrictionDateTime></sr:RestrictAccessForChangeOfTenancy>',
    );
    expect(await schema.validate(xml)).toEqual({ valid: true });
    expect(decodeDuisRequest(parseXml(xml)).request.body).toEqual({
      restrictionDateTime: '2027-01-01T00:00:00Z',
    });
  });

  it('3.2 without a restrictionDateTime is refused before anything is sent (the XSD requires RestrictionDateTime)', () => {
    expect(() => encodeDuisRequest(request('3.2', {}), { requestCounter: 7 })).toThrow(/RestrictionDateTime/);
  });

  it('an SRV DCC.md §2 lists but trialsim has no DUIS body for is refused by the encoder, not sent empty', () => {
    expect(() => encodeDuisRequest(request('6.24.1', {}), { requestCounter: 7 })).toThrow(
      /no DUIS body for SRV 6\.24\.1/,
    );
  });

  it('an SRV no one defines goes without a body, and the XSD refuses it naming the SRV', async () => {
    const xml = encodeDuisRequest(request('9.99', {}), { requestCounter: 7 });
    const verdict = await schema.validate(xml);
    expect(verdict.valid).toBe(false);
    expect(verdict.valid ? '' : verdict.errors.join('; ')).toContain('9.99');
  });
});
