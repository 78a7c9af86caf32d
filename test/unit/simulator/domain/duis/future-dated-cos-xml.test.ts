import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../../harness/package-root.js';
import { DuisSchema } from '../../../../../simulator/adapters/duis-http/xsd-validator.js';
import {
  decodeDuisRequest,
  encodeDuisRequest,
} from '../../../../../simulator/domain/duis/xml/duis-request-xml.js';
import { parseXml } from '../../../../../simulator/domain/duis/xml/duis-xml.js';
import { lookupService } from '../../../../../simulator/domain/services/service-catalogue.js';
import { implementedSrvTemplates } from '../../../../support/duis-templates.js';

/**
 * A future-dated 6.23 over DUIS (DCC.md §9; dcc/change-of-supplier.ts): its
 * UpdateSecurityCredentialsCoS is a FutureDatedAbstractType, so the ExecutionDateTime comes first
 * in the body and reaches the DCC as `executionDateTime`.
 */
const schema = await DuisSchema.load(join(FIXTURES_DIR, 'duis', 'xsd'));
const template = implementedSrvTemplates().find(
  (t) => t.file === 'CS02bSupplierByTransCoS_6.23_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML',
);

describe('6.23 future-dated over DUIS XML', () => {
  it('COS-FUTURE-DATED - the Boxed template’s ExecutionDateTime reaches the DCC and passes its 6.23 body schema', () => {
    expect(template).toBeDefined();
    const decoded = decodeDuisRequest(parseXml(template?.xml ?? ''));
    expect(decoded.request.body.executionDateTime).toBe('2030-01-02T00:00:00.00Z');
    const parsed = lookupService('6.23')?.requestBody?.safeParse(decoded.request.body);
    expect(parsed?.success).toBe(true);
  });

  it('COS-FUTURE-DATED - trialsim’s own 6.23 with an execution date-time is valid DUIS 5.4 and reads back the same', async () => {
    const der = (name: string) =>
      Buffer.from(new RegExp(`<sr:${name}>([^<]+)<`).exec(template?.xml ?? '')?.[1] ?? '', 'base64');
    const xml = encodeDuisRequest(
      {
        requestId: '90-B3-D5-1F-30-03-00-00:00-12-4B-00-00-00-01-01:41',
        commandVariant: 1,
        serviceReference: '6.23',
        serviceReferenceVariant: '6.23',
        body: { executionDateTime: '2027-02-01T00:00:00.000Z' },
      },
      {
        requestCounter: 41,
        certificates: {
          ds: der('DigitalSigningCertificate'),
          ka: der('KeyAgreementCertificate'),
          path: der('Certificate'),
        },
      },
    );
    const [verdict] = await schema.validateAll([xml]);
    expect(verdict?.valid, JSON.stringify(verdict)).toBe(true);
    expect(decodeDuisRequest(parseXml(xml)).request.body.executionDateTime).toBe('2027-02-01T00:00:00.000Z');
  });
});
