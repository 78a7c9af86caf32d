import { describe, expect, it } from 'vitest';
import {
  executionTimeFromDuis,
  executionTimeToDuis,
} from '../../../../../simulator/domain/duis/xml/duis-cancellation.js';
import { BODY_CODECS } from '../../../../../simulator/domain/duis/xml/duis-request-bodies.js';
import { decodeDuisRequest } from '../../../../../simulator/domain/duis/xml/duis-request-xml.js';
import { parseXml } from '../../../../../simulator/domain/duis/xml/duis-xml.js';
import { GBCS_CANCELLATION_TIME } from '../../../../../simulator/domain/gbcs/payloads/asn1/der-values.js';
import { implementedSrvTemplates } from '../../../../support/duis-templates.js';

/**
 * A DUIS cancellation (ExecutionDateTime 3000-12-31T00:00:00Z, as the DUIS 5.4 templates write it)
 * reaches the device as GBCS's cancellation (99991231235959Z, GBCS.md §7.7), and trialsim's own
 * DUIS User writes GBCS's cancellation back as DUIS's, for the commands a device holds.
 */
const GBCS_CANCEL = GBCS_CANCELLATION_TIME.toISOString();
const templates = implementedSrvTemplates();
const body = (file: string) => {
  const template = templates.find((t) => t.file === file);
  if (template === undefined) throw new Error(`no template ${file}`);
  return decodeDuisRequest(parseXml(template.xml)).request.body;
};

describe('DUIS cancellation ↔ GBCS cancellation', () => {
  it('the 11.3, 6.15.1 and 6.23 cancellation templates reach the DCC as GBCS cancellations', () => {
    expect(body('CS06_11.3_CANCELLATION_SUCCESS_REQUEST_DUIS.XML').executionDateTime).toBe(GBCS_CANCEL);
    expect(
      body('CS02bSupplierBySupplier_6.15.1_CANCELLATION_SUCCESS_REQUEST_DUIS.XML').executionDateTime,
    ).toBe(GBCS_CANCEL);
    // trialsim's DCC holds a future-dated 6.23 and cancels it itself (dcc/change-of-supplier.ts).
    expect(body('CS02bSupplierByTransCoS_6.23_CANCELLATION_SUCCESS_REQUEST_DUIS.XML').executionDateTime).toBe(
      GBCS_CANCEL,
    );
  });

  it('a future-dated template keeps its own date', () => {
    expect(body('CS06_11.3_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML').executionDateTime).not.toBe(GBCS_CANCEL);
    expect(
      body('CS02bSupplierBySupplier_6.15.1_FUTURE_DATED_SUCCESS_REQUEST_DUIS.XML').executionDateTime,
    ).toBe('2030-01-15T00:00:00.00Z');
  });

  it('maps only that instant, however it is written, and back', () => {
    for (const written of ['3000-12-31T00:00:00Z', '3000-12-31T00:00:00.00Z', '3000-12-31T00:00:00.000Z'])
      expect(executionTimeFromDuis(written)).toBe(GBCS_CANCEL);
    for (const other of ['3000-12-31T00:00:01Z', '2999-12-31T00:00:00Z', '2027-01-05T02:00:00Z'])
      expect(executionTimeFromDuis(other)).toBe(other);
    expect(executionTimeToDuis(GBCS_CANCEL)).toBe('3000-12-31T00:00:00.00Z');
    expect(executionTimeToDuis('9999-12-31T23:59:59Z')).toBe('3000-12-31T00:00:00.00Z');
    expect(executionTimeToDuis('2027-01-05T02:00:00Z')).toBe('2027-01-05T02:00:00Z');
    expect(executionTimeToDuis(undefined)).toBeUndefined();
  });

  it("trialsim's DUIS User writes an 11.3 cancellation as DUIS does", () => {
    const xml = BODY_CODECS['11.3']?.encode(
      { executionDateTime: GBCS_CANCEL, imageHash: new Uint8Array(32) },
      { requestCounter: 1 },
    );
    expect(xml).toContain('<sr:ExecutionDateTime>3000-12-31T00:00:00.00Z</sr:ExecutionDateTime>');
  });
});
