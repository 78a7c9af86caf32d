import { describe, expect, it } from 'vitest';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import {
  decodeCcs08Alert,
  encodeCcs08Alert,
} from '../../../../../../simulator/domain/gbcs/payloads/asn1/ccs08.js';
import {
  decodeCs06Command,
  decodeCs06Response,
  decodeFutureDatedActivationAlert,
  encodeCs06Command,
  encodeCs06Response,
  encodeFutureDatedActivationAlert,
} from '../../../../../../simulator/domain/gbcs/payloads/asn1/cs06.js';
import {
  decodeCs07Response,
  decodeCs08Response,
  decodeNullCommand,
  encodeCs07Response,
  encodeCs08Response,
  encodeNullCommand,
} from '../../../../../../simulator/domain/gbcs/payloads/asn1/cs07-cs08.js';
import { GBCS_CANCELLATION_TIME } from '../../../../../../simulator/domain/gbcs/payloads/asn1/der-values.js';
import { hex, rtdsSample, toHex } from '../gbcs-fixtures.js';

const content = (suffix: string) => decodeGbcsMessage(rtdsSample(suffix).bytes).apdu.content;
const imageHash = hex('AA758690730934FF0685AA758690730934FF0685657788990011223344556677');

describe('ASN.1 DER use-case payloads (asn1js)', () => {
  it('CS06 immediate command regenerates the RTDS pre-command payload; the counter is the header counter', () => {
    const bytes = content('CS06_11.3_IMMEDIATE_SUCCESS_PRECOMMAND_GBCS.HEX');
    expect(toHex(encodeCs06Command({ imageHash }, 1000n))).toBe(toHex(bytes));
    expect(decodeCs06Command(bytes)).toEqual({ imageHash, counter: 1000n });
  });

  it('CS06 response (success, version 01 23 AB CE) regenerates the RTDS bytes', () => {
    const bytes = content('CS06_11.3_IMMEDIATE_SUCCESS_RESPONSE_GBCS.HEX');
    const response = { kind: 'executed', responseCode: 0, firmwareVersion: hex('0123ABCE') } as const;
    expect(toHex(encodeCs06Response(response))).toBe(toHex(bytes));
    expect(decodeCs06Response(bytes)).toEqual(response);
  });

  it('CS06 future-dated and cancellation add a 15-character GeneralizedTime; the response is NULL', () => {
    const future = encodeCs06Command(
      { imageHash, executionDateTime: new Date('2030-01-15T09:00:00Z') },
      1000n,
    );
    expect(toHex(future)).toContain(`180f${Buffer.from('20300115090000Z').toString('hex')}`);
    const cancel = encodeCs06Command({ imageHash, executionDateTime: GBCS_CANCELLATION_TIME }, 1000n);
    expect(toHex(cancel)).toContain(Buffer.from('99991231235959Z').toString('hex'));
    expect(decodeCs06Command(cancel).executionDateTime).toEqual(GBCS_CANCELLATION_TIME);
    expect(toHex(encodeCs06Response({ kind: 'accepted' }))).toBe('0500');
    expect(decodeCs06Response(hex('0500'))).toEqual({ kind: 'accepted' });
  });

  it('0x00CA alert: INTEGER 0x8F66 is 02 03 00 8F 66; counter 1000 is 02 02 03 E8', () => {
    const alert = {
      alertCode: 0x8f66,
      executionDateTime: new Date('2030-01-15T09:00:00Z'),
      commandCounter: 1000n,
      outcome: { responseCode: 0, firmwareVersion: hex('0123ABCE') },
    } as const;
    const bytes = encodeFutureDatedActivationAlert(alert);
    expect(toHex(bytes)).toBe(
      toHex(
        hex(
          `30 25 02 03 00 8F 66 18 0F ${Buffer.from('20300115090000Z').toString('hex')} 02 02 03 E8 30 09 02 01 00 04 04 01 23 AB CE`,
        ),
      ),
    );
    expect(decodeFutureDatedActivationAlert(bytes)).toEqual(alert);
  });

  it('CS07 and CS08 commands are NULL; their responses match GBCS.md §7.1 and §7.6 byte for byte', () => {
    expect(toHex(encodeNullCommand())).toBe('0500');
    expect(decodeNullCommand('CS07', hex('0500'))).toEqual({});
    const cs08 = hex('30 09 04 04 01 23 AB CD 02 01 00');
    expect(toHex(encodeCs08Response({ firmwareVersion: hex('0123ABCD'), responseCode: 0 }))).toBe(
      toHex(cs08),
    );
    expect(decodeCs08Response(cs08)).toEqual({ firmwareVersion: hex('0123ABCD'), responseCode: 0 });
    const cs07 = {
      responseCode: 0,
      devices: [
        { device: '01-02-03-04-05-06-07-08' as Eui, deviceType: 3 },
        { device: '00-DB-12-34-56-78-90-99' as Eui, deviceType: 3 },
        { device: '00-DB-12-34-56-78-90-97' as Eui, deviceType: 5 },
      ],
    };
    const bytes = encodeCs07Response(cs07);
    expect(toHex(bytes.subarray(0, 7))).toBe('3032020100302d');
    expect(toHex(bytes.subarray(7, 22))).toBe('300d040801020304050607080201' + '03');
    expect(decodeCs07Response(bytes)).toEqual(cs07);
  });

  it('CCS08 alert regenerates the GBCS.md §7.9 split', () => {
    const alert = {
      alertCode: 0x8f8a,
      dateTime: new Date('2015-01-01T00:00:00Z'),
      entity: '00-DB-12-34-56-78-90-A4' as Eui,
      firmwareVersion: hex('0123ABCD'),
      responseCode: 0,
    } as const;
    const expected = hex(
      `30 29 02 03 00 8F 8A 18 0F ${Buffer.from('20150101000000Z').toString('hex')} 04 08 00 DB 12 34 56 78 90 A4 04 04 01 23 AB CD 02 01 00`,
    );
    expect(toHex(encodeCcs08Alert(alert))).toBe(toHex(expected));
    expect(decodeCcs08Alert(expected)).toEqual(alert);
  });

  it('BER that is not DER (a long-form length) is refused', () => {
    expect(() => decodeCs08Response(hex('30 81 09 04 04 01 23 AB CD 02 01 00'))).toThrow(
      /GBCS malformed at byte offset 1 \(CS08 payload length\): length 9 is not in its shortest form/,
    );
  });

  it('wrong shapes fail with the use case named and the content offset', () => {
    expect(() => decodeCs06Command(hex('0500'), 47)).toThrow(
      /GBCS malformed at byte offset 47 \(CS06 payload\)/,
    );
    expect(() => decodeCcs08Alert(hex('30 03 02 01 00'))).toThrow(/expected 5 elements/);
    expect(() => decodeCs06Command(hex('30 26 04'))).toThrow(/CS06 payload/);
  });
});
