import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../../harness/package-root.js';
import { DuisSchema } from '../../../../../simulator/adapters/duis-http/xsd-validator.js';
import { alertFrame } from '../../../../../simulator/domain/device/device-wire.js';
import { futureDatedSrvOf } from '../../../../../simulator/domain/duis/future-dated-outcome.js';
import { decodeDuisRequest } from '../../../../../simulator/domain/duis/xml/duis-request-xml.js';
import {
  decodeDuisResponse,
  encodeDuisAlert,
} from '../../../../../simulator/domain/duis/xml/duis-response-xml.js';
import { parseXml } from '../../../../../simulator/domain/duis/xml/duis-xml.js';
import { lookupService } from '../../../../../simulator/domain/services/service-catalogue.js';
import { env, newTestDevice, START, SUPPLIER } from '../../../../support/device-fixture.js';
import { implementedSrvTemplates } from '../../../../support/duis-templates.js';

/**
 * A future-dated 6.15.1 over DUIS XML: the Boxed templates' ExecutionDateTime reaches the DCC, and
 * a future-dated outcome goes back as FutureDatedDeviceAlertMessage in a ResponseMessage naming
 * the SRV the wrapper says ran (DUIS.md §3.1 shape 5; GBCS.md §3: 0x00CA CS06, 0x00CB CS02b).
 */
const schema = await DuisSchema.load(join(FIXTURES_DIR, 'duis', 'xsd'));
const templates = implementedSrvTemplates();
const CS02B_BODY = {
  status: 'success',
  replacementMode: 'supplierBySupplier',
  results: [],
  commandCounter: 9,
  executionDateTime: '2027-01-05T02:00:00.000Z',
};

function alertApdu(code: string, body: Record<string, unknown>, futureDatedUseCase?: 'CS06' | 'CS02b') {
  const sent = alertFrame(newTestDevice(), env, START, {
    code,
    body,
    originator: SUPPLIER.eui,
    ...(futureDatedUseCase === undefined ? {} : { futureDatedUseCase }),
  });
  if (sent === undefined) throw new Error('the test device sent no alert');
  return sent.frame.apdu;
}

describe('future-dated 6.15.1 over DUIS XML', () => {
  for (const [file, at] of [
    ['CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML', '2030-01-15T00:00:00.00Z'],
    // DUIS's cancellation (3000-12-31) reaches the DCC as GBCS's (duis-cancellation.ts).
    ['CS02bSupplierBySupplier_6.15.1_CANCELLATION_SUCCESS_REQUEST_DUIS.XML', '9999-12-31T23:59:59.000Z'],
  ] as const) {
    it(`${file}: its ExecutionDateTime reaches the DCC and passes the 6.15.1 body schema`, () => {
      const template = templates.find((t) => t.file === file);
      const decoded = decodeDuisRequest(parseXml(template?.xml ?? ''));
      expect(decoded.request.body.executionDateTime).toBe(at);
      const parsed = lookupService('6.15.1')?.requestBody?.safeParse(decoded.request.body);
      expect(parsed?.success, JSON.stringify(parsed?.error?.issues)).toBe(true);
    });
  }

  it('the wrapper names the SRV: 0x00CB → 6.15.1 (6.23 to the CoS party), 0x00CA → 11.3, any other alert none', () => {
    const cs02b = alertApdu('0x8F66', CS02B_BODY, 'CS02b');
    expect(futureDatedSrvOf(cs02b)).toBe('6.15.1');
    expect(futureDatedSrvOf(cs02b, SUPPLIER.eui)).toBe('6.23');
    const cs06 = alertApdu('0x8F67', { status: 'hashMismatch', firmwareVersion: '0.9.0', commandCounter: 3 });
    expect(futureDatedSrvOf(cs06)).toBe('11.3');
    expect(futureDatedSrvOf(alertApdu('0x8F3D', { detail: 'x' }))).toBeUndefined();
    expect(futureDatedSrvOf(Uint8Array.of(1, 2, 3))).toBeUndefined();
  });

  it('FutureDatedDeviceAlertMessage is XSD-valid, instruction 1 of 1, and reads back with the alert APDU', async () => {
    const apdu = alertApdu('0x8F66', CS02B_BODY, 'CS02b');
    const xml = encodeDuisAlert(
      { alert: 'DeviceAlert', deviceId: '00-12-4B-00-00-00-01-01', raisedAt: START, alertCode: '0x8F66' },
      {
        now: START,
        responseId: '00-12-4B-00-00-00-01-01:90-B3-D5-1F-30-01-00-00:1',
        gbcsPayload: apdu,
        futureDatedSrv: '6.15.1',
      },
    );
    expect(await schema.validate(xml)).toEqual({ valid: true });
    expect(xml).toContain(
      '<sr:InstructionNumber>1</sr:InstructionNumber><sr:TotalCommandInstructions>1</sr:TotalCommandInstructions>',
    );
    expect(decodeDuisResponse(parseXml(xml))).toMatchObject({
      kind: 'response',
      serviceReferenceVariant: '6.15.1',
      content: 'FutureDatedDeviceAlertMessage',
      futureDatedAlertCode: '0x8F66',
      gbcsPayload: apdu,
    });
    expect(() =>
      encodeDuisAlert(
        { alert: 'DeviceAlert', deviceId: '00-12-4B-00-00-00-01-01', raisedAt: START, alertCode: '0x8F3D' },
        { now: START, responseId: 'x:y:1', gbcsPayload: apdu, futureDatedSrv: '6.15.1' },
      ),
    ).toThrow(/8F66 or 8F67/);
  });
});
