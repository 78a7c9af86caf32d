import { describe, expect, it } from 'vitest';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { dlmsDateTimeFromDate } from '../../../../../../simulator/domain/gbcs/apdu/dlms-date-time.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import {
  decodeDlmsAlert,
  decodeFdra,
  encodeDlmsAlert,
  encodeFdra,
} from '../../../../../../simulator/domain/gbcs/payloads/alerts/dlms-alerts.js';
import {
  decodeCcs01Ccs02Response,
  decodeCcs01Command,
  decodeCcs02Command,
  encodeCcs01Command,
  encodeCcs01Response,
  encodeCcs02Command,
  encodeCcs02Response,
} from '../../../../../../simulator/domain/gbcs/payloads/chf/ccs01-ccs02.js';
import {
  decodeCcs06Command,
  decodeCcs06Response,
  encodeCcs06Command,
  encodeCcs06Response,
} from '../../../../../../simulator/domain/gbcs/payloads/chf/ccs06.js';
import {
  decodeEcs17bCommand,
  decodeEcs17bResponse,
  encodeEcs17bCommand,
  encodeEcs17bResponse,
} from '../../../../../../simulator/domain/gbcs/payloads/esme/ecs17b.js';
import {
  decodeEcs35Command,
  decodeEcs35Response,
  encodeEcs35Command,
  encodeEcs35Response,
} from '../../../../../../simulator/domain/gbcs/payloads/esme/ecs35.js';
import {
  decodeEcs52Command,
  decodeEcs52Response,
  encodeEcs52Command,
  encodeEcs52Response,
} from '../../../../../../simulator/domain/gbcs/payloads/esme/ecs52.js';
import {
  decodeEcs70Command,
  decodeEcs70Response,
  encodeEcs70Command,
  encodeEcs70Response,
} from '../../../../../../simulator/domain/gbcs/payloads/esme/ecs70.js';
import { ecdhSharedSecret } from '../../../../../../simulator/domain/gbcs/protection/ecdh-shared-secret.js';
import { hex, rtdsKeyStore, rtdsSample, toHex } from '../gbcs-fixtures.js';

const content = (suffix: string) => {
  const m = decodeGbcsMessage(rtdsSample(suffix).bytes);
  return { content: m.apdu.content, apdu: m.apdu };
};
const supplier = '90-B3-D5-1F-30-01-00-00' as Eui;
const esme = '00-DB-12-34-56-78-90-A0' as Eui;

describe('ESME and CHF use-case payloads regenerate the RTDS bytes from their fields', () => {
  it('ECS52 request and response (version 01 23 AB CD)', () => {
    expect(toHex(encodeEcs52Command(1000n))).toBe(
      toHex(content('ECS52_11.2_SUCCESS_COMMAND_GBCS.HEX').content),
    );
    const response = content('ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX').content;
    expect(toHex(encodeEcs52Response({ firmwareVersion: hex('0123ABCD') }, 1000n))).toBe(toHex(response));
    expect(toHex(decodeEcs52Response(response).firmwareVersion ?? new Uint8Array())).toBe('0123abcd');
  });

  it('ECS70 request: validity window [2014-12-31T23:59:10Z, 2015-01-01T00:00:10Z]; response time 2015-01-01', () => {
    const request = content('ECS70Commission_8.1.1_SUCCESS_PRECOMMAND_GBCS.HEX').content;
    const window = {
      validityStart: dlmsDateTimeFromDate(new Date('2014-12-31T23:59:10Z')),
      validityEnd: dlmsDateTimeFromDate(new Date('2015-01-01T00:00:10Z')),
    };
    expect(toHex(encodeEcs70Command(window, 1000n))).toBe(toHex(request));
    expect(decodeEcs70Command(request)).toEqual(window);
    const response = content('ECS70Commission_8.1.1_SUCCESS_RESPONSE_GBCS.HEX').content;
    expect(
      toHex(encodeEcs70Response({ time: dlmsDateTimeFromDate(new Date('2015-01-01T00:00:00Z')) }, 1000n)),
    ).toBe(toHex(response));
    expect(decodeEcs70Response(response)).toMatchObject({ status: 0, results: [0, 0, 0, 0, 0] });
  });

  it('ECS35a request over 2014-12-31 and its 33-entry log response', () => {
    const request = content('ECS35a_6.13_SUCCESS_COMMAND_GBCS.HEX').content;
    const range = {
      log: 'event' as const,
      from: new Date('2014-12-31T00:00:00Z'),
      to: new Date('2015-01-01T00:00:00Z'),
    };
    expect(toHex(encodeEcs35Command(range, 1000n))).toBe(toHex(request));
    const response = content('ECS35a_6.13_SUCCESS_RESPONSE_GBCS.HEX').content;
    const entries = decodeEcs35Response(response);
    expect(entries).toHaveLength(33);
    expect(entries[2]).toEqual({ time: new Date('2014-12-31T01:39:48Z'), code: 0x8154, data: hex('009B') });
    expect(entries.every((e) => e.time >= range.from && e.time <= range.to)).toBe(true);
    expect(toHex(encodeEcs35Response(entries, 1000n))).toBe(toHex(response));
  });

  it('ECS35b uses the security log profile 0-0:99.98.1.255', () => {
    const bytes = encodeEcs35Command(
      {
        log: 'security',
        from: new Date('2020-01-01T00:00:00Z'),
        to: new Date('2020-01-02T00:00:00Z'),
      },
      1n,
    );
    expect(toHex(bytes)).toContain('0007' + '0000636201ff' + '02');
  });

  it('ECS17b request (single and twin) and the encrypted response, re-encrypted byte for byte with the published ESME KA key', () => {
    const keys = rtdsKeyStore();
    const esmeKa = keys.find(esme, 'ka')?.privateKey;
    if (!esmeKa) throw new Error('ESME KA key missing');
    for (const [variant, requester, counter] of [
      ['SINGLE', supplier, 1000n],
      ['TWIN', '90-B3-D5-1F-30-02-00-00' as Eui, 1200n],
    ] as const) {
      const request = content(`ECS17b_4.1.1_${variant}_SUCCESS_COMMAND_GBCS.HEX`).content;
      expect(toHex(encodeEcs17bCommand({ requester, esme }, counter))).toBe(toHex(request));
      const response = content(`ECS17b_4.1.1_${variant}_SUCCESS_RESPONSE_GBCS.HEX`).content;
      const peer = keys.find(requester, 'ka')?.publicKey;
      if (!peer) throw new Error('requester KA certificate missing');
      const z = ecdhSharedSecret(esmeKa, peer);
      const decoded = decodeEcs17bResponse(response, 0, z);
      expect(decoded).toMatchObject({ device: esme, remoteParty: requester, counter });
      if (decoded.registers === null) throw new Error('did not decrypt');
      expect(toHex(encodeEcs17bResponse({ esme, requester, registers: decoded.registers }, counter, z))).toBe(
        toHex(response),
      );
    }
  });

  it('ECS17b with the wrong key does not decrypt', () => {
    const response = content('ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX').content;
    expect(decodeEcs17bResponse(response, 0, new Uint8Array(32).fill(7)).registers).toBeNull();
  });

  it('CCS01 request (ESME, install code, join time 90) and response, ACB counter 1302', () => {
    const request = content('CCS01_8.11_SUCCESS_COMMAND_GBCS.HEX').content;
    const fields = {
      device: esme,
      deviceType: 1,
      installCode: Buffer.from('0123456789ABCDEF'),
      joinTimeout: 90,
    };
    expect(
      toHex(encodeCcs01Command({ ...fields, installCode: Uint8Array.from(fields.installCode) }, 1302n)),
    ).toBe(toHex(request));
    expect(decodeCcs01Command(request)).toMatchObject({ device: esme, deviceType: 1, joinTimeout: 90 });
    const response = content('CCS01_8.11_SUCCESS_RESPONSE_GBCS.HEX').content;
    expect(toHex(encodeCcs01Response(1302n))).toBe(toHex(response));
    expect(decodeCcs01Ccs02Response(response)).toEqual([0, 0, 0]);
  });

  it('CCS02 request and response as GBCS.md §7.5 splits them', () => {
    expect(toHex(encodeCcs02Command({ device: esme }, 1302n))).toBe(
      toHex(hex('D9 20 00 05 16 00 01 03 00 68 00 00 1E 03 00 FF 02 01 09 08 00 DB 12 34 56 78 90 A0')),
    );
    expect(toHex(encodeCcs02Response(1302n))).toBe(toHex(hex('DA 20 00 05 16 00 00 01 00 01 03 00')));
  });

  it('CCS06 request as GBCS.md §7.6 splits it; its response round-trips', () => {
    expect(toHex(encodeCcs06Command(1300n))).toBe(
      toHex(hex('D9 20 00 05 14 00 01 01 00 68 00 00 1E 03 00 FF 04 01 00')),
    );
    const entry = {
      device: esme,
      status: 0xc8,
      rssi: [-35, -50, -100] as const,
      lqi: [2, 39, 247] as const,
      lastCommunication: dlmsDateTimeFromDate(new Date('2014-12-31T23:50:00Z')),
      counters: [1, 0, 100, 1, 1] as const,
    };
    const bytes = encodeCcs06Response([entry, { ...entry, device: '00-DB-12-34-56-78-90-A1' as Eui }], 1300n);
    expect(toHex(bytes)).toContain('020e090800db1234567890a00408c80fdd0fce0f9c110211271' + '1f7');
    expect(decodeCcs06Response(bytes)[0]).toEqual(entry);
  });

  it('GCA 0x8F30 and FDRA 0x8F72 alerts: alert code, timestamp, then the hash', () => {
    const timestamp = dlmsDateTimeFromDate(new Date('2015-01-01T00:00:00Z'));
    const gca = encodeDlmsAlert({ alertCode: 0x8f30, timestamp, extra: [] }, 2000n);
    expect(toHex(gca)).toBe(
      toHex(hex('0F 20 00 07 D0 00 02 02 12 8F 30 09 0C 07 DF 01 01 FF 00 00 00 00 80 00 FF')),
    );
    const fdra = encodeFdra({ alertCode: 0x8f72, timestamp, imageHash: new Uint8Array(32).fill(1) }, 2000n);
    const decoded = decodeDlmsAlert(fdra);
    expect(decoded.alertCode).toBe(0x8f72);
    expect(decoded.extra).toEqual([{ type: 'octet-string', value: new Uint8Array(32).fill(1) }]);
  });

  it('every command decoder reads back what its encoder wrote', () => {
    expect(decodeEcs52Command(encodeEcs52Command(5n))).toEqual({});
    expect(decodeCcs06Command(encodeCcs06Command(5n))).toEqual({});
    const range = {
      log: 'security' as const,
      from: new Date('2020-01-01T00:00:00Z'),
      to: new Date('2020-02-01T00:00:00Z'),
    };
    expect(decodeEcs35Command(encodeEcs35Command(range, 5n))).toEqual(range);
    expect(decodeEcs17bCommand(encodeEcs17bCommand({ requester: supplier, esme }, 5n))).toEqual({
      requester: supplier,
      esme,
    });
    expect(decodeCcs02Command(encodeCcs02Command({ device: esme }, 5n))).toEqual({ device: esme });
    const timestamp = dlmsDateTimeFromDate(new Date('2020-01-01T00:00:00Z'));
    const fdra = { alertCode: 0x8f1c as const, timestamp, imageHash: new Uint8Array(32).fill(9) };
    expect(decodeFdra(encodeFdra(fdra, 7n))).toEqual(fdra);
  });

  it("a command decoder refuses another use case's command", () => {
    expect(() => decodeEcs52Command(encodeCcs06Command(5n))).toThrow(/ECS52 payload/);
    expect(() => decodeEcs35Command(encodeEcs52Command(5n))).toThrow(/ECS35 payload/);
  });

  it('a reader given the wrong use case fails with a GBCS decode error, not a TypeError', () => {
    const request = content('ECS52_11.2_SUCCESS_COMMAND_GBCS.HEX').content;
    expect(() => decodeEcs52Response(request, 47)).toThrow(
      /GBCS malformed at byte offset 47 \(ECS52 payload\)/,
    );
  });
});
