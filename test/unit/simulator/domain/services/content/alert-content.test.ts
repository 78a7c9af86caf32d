import { describe, expect, it } from 'vitest';
import { cborContentCodec } from '../../../../../../simulator/adapters/wire/envelope.js';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { decodeDlmsAlert } from '../../../../../../simulator/domain/gbcs/payloads/alerts/dlms-alerts.js';
import { decodeCcs08Alert } from '../../../../../../simulator/domain/gbcs/payloads/asn1/ccs08.js';
import {
  readAlertContent,
  writeAlertContent,
} from '../../../../../../simulator/domain/services/content/wire-content.js';
import { toHex } from '../../gbcs/gbcs-fixtures.js';

const device = '00-DB-12-34-56-78-90-A0' as Eui;
const now = Date.parse('2015-01-01T00:00:00Z');
const context = { counter: 0x1234n, now, device };
const hash = 'ab'.repeat(32);

describe('alerts on the device wire carry their GBCS payload (GBCS.md §7.9, §7.10)', () => {
  it('GCA 0x1000: a DLMS data-notification of the alert code and the device time; the detail does not travel', () => {
    const bytes = writeAlertContent(
      0x1000,
      '0x8F3D',
      { detail: 'MAC does not verify' },
      context,
      cborContentCodec,
    );
    expect(bytes[0]).toBe(0x0f);
    // invoke-id 20 ‖ the alert counter's low 24 bits (GBCS.md §5.7)
    expect(toHex(bytes.subarray(1, 5))).toBe('20001234');
    expect(decodeDlmsAlert(bytes).alertCode).toBe(0x8f3d);
    expect(readAlertContent(0x1000, bytes, 0, cborContentCodec)).toEqual({
      alertCode: '0x8F3D',
      raisedAt: '2015-01-01T00:00:00.000Z',
    });
  });

  it('FDRA 0x00CE: the manufacturer image hash the device calculated (the held image when 11.3 named another)', () => {
    const verified = writeAlertContent(
      0x00ce,
      '0x8F72',
      { imageHash: hash, firmwareVersion: '1.0.0' },
      context,
      cborContentCodec,
    );
    expect(readAlertContent(0x00ce, verified, 0, cborContentCodec)).toEqual({
      alertCode: '0x8F72',
      imageHash: hash,
    });
    const failed = writeAlertContent(
      0x00ce,
      '0x8F1C',
      { imageHash: '00'.repeat(32), heldImageHash: hash },
      context,
      cborContentCodec,
    );
    expect(readAlertContent(0x00ce, failed, 0, cborContentCodec)).toEqual({
      alertCode: '0x8F1C',
      imageHash: hash,
    });
  });

  it('CCS08 0x0128: transfer outcome as the response code, the device, its firmware version', () => {
    const bytes = writeAlertContent(
      0x0128,
      '0x8F89',
      { transferOutcome: 2, firmwareVersion: '1.0.0' },
      context,
      cborContentCodec,
    );
    expect(decodeCcs08Alert(bytes)).toMatchObject({ alertCode: 0x8f89, entity: device, responseCode: 2 });
    expect(readAlertContent(0x0128, bytes, 0, cborContentCodec)).toEqual({
      alertCode: '0x8F89',
      transferOutcome: 2,
      deviceId: device,
      firmwareVersion: '1.0.0',
    });
  });

  it('0x00CA: a future-dated CS06 outcome as DER: alert code, execution time, the command counter, the ExecutionOutcome', () => {
    const bytes = writeAlertContent(
      0x00ca,
      '0x8F66',
      {
        status: 'success',
        firmwareVersion: '1.0.0',
        commandCounter: 1005,
        executionDateTime: '2027-01-05T02:00:00.000Z',
      },
      context,
      cborContentCodec,
    );
    // SEQUENCE { INTEGER 0x8F66, GeneralizedTime 20270105020000Z, INTEGER 1005,
    //            SEQUENCE { INTEGER 0 (success), OCTET STRING 01 00 00 00 } } (GBCS.md §6.2, §7.7)
    expect(toHex(bytes)).toBe(
      `30250203008f66180f${Buffer.from('20270105020000Z').toString('hex')}020203ed3009020100040401000000`,
    );
    expect(readAlertContent(0x00ca, bytes, 0, cborContentCodec)).toEqual({
      alertCode: '0x8F66',
      status: 'success',
      firmwareVersion: '1.0.0',
      commandCounter: 1005,
      executionDateTime: '2027-01-05T02:00:00.000Z',
    });
    const failed = writeAlertContent(
      0x00ca,
      '0x8F67',
      { status: 'hashMismatch', firmwareVersion: '0.9.0', commandCounter: 7 },
      context,
      cborContentCodec,
    );
    // No execution time in the body: the device's clock at the alert.
    expect(readAlertContent(0x00ca, failed, 0, cborContentCodec)).toMatchObject({
      alertCode: '0x8F67',
      status: 'hashMismatch',
      commandCounter: 7,
      executionDateTime: '2015-01-01T00:00:00.000Z',
    });
  });

  it('an alert code the wrapper cannot carry is refused when written, not sent garbled', () => {
    expect(() => writeAlertContent(0x0128, '0x8F3D', {}, context, cborContentCodec)).toThrow(/CCS08/);
    expect(() => writeAlertContent(0x00ce, '0x8F3D', {}, context, cborContentCodec)).toThrow(/FDRA/);
    expect(() => writeAlertContent(0x00ca, '0x8F3D', {}, context, cborContentCodec)).toThrow(/0x00CA/);
  });

  it('GNCA 0x1001 stays on trialsim’s profile: the alert code and body as CBOR', () => {
    const bytes = writeAlertContent(
      0x1001,
      '0x8F43',
      { firmwareVersion: '1.0.0' },
      context,
      cborContentCodec,
    );
    expect(readAlertContent(0x1001, bytes, 0, cborContentCodec)).toEqual({
      alertCode: '0x8F43',
      firmwareVersion: '1.0.0',
    });
  });
});
