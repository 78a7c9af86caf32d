import type { Eui } from '../../../eui.js';
import { euiFromBytes } from '../../../eui.js';
import { ByteReader } from '../../apdu/byte-reader.js';
import type { DlmsDateTime } from '../../apdu/dlms-date-time.js';
import { readDlmsDateTime } from '../../apdu/dlms-date-time.js';
import { eui } from '../../apdu/other-information.js';
import { decodeDlmsApdu, encodeDlmsApdu, invokeIdFor } from '../dlms/dlms-apdu.js';
import type { DlmsData } from '../dlms/dlms-data.js';
import { DlmsShapeReader, expectRequest } from '../dlms/dlms-reading.js';
import {
  array,
  dateTimeOctets,
  descriptor,
  integer,
  NULL_DATA,
  octets,
  structure,
  unsigned,
} from '../dlms/dlms-values.js';

/**
 * CCS06 Read CHF Device Log and Check HAN Communications (GBCS.md §7.6): get class 104
 * 0-0:30.3.0.255 attribute 4. Each entry is a structure(14); the field names are a reading of
 * DLMS IC 104 "active devices" (UNCONFIRMED), kept in RTDS order.
 */
const ACTIVE_DEVICES = descriptor(104, '0-0:30.3.0.255', 4);

export interface ChfDeviceLogEntry {
  readonly device: Eui;
  /** bit-string(8) status. */
  readonly status: number;
  readonly rssi: readonly [number, number, number];
  readonly lqi: readonly [number, number, number];
  readonly lastCommunication: DlmsDateTime;
  /** The five trailing unsigned values, meaning UNCONFIRMED. */
  readonly counters: readonly [number, number, number, number, number];
}

export function encodeCcs06Command(counter: bigint): Uint8Array {
  return encodeDlmsApdu({
    apdu: 'access-request',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: [{ kind: 'get', descriptor: ACTIVE_DEVICES }],
    data: [NULL_DATA],
  });
}

function entryData(e: ChfDeviceLogEntry): DlmsData {
  return structure(
    octets(eui(e.device)),
    { type: 'bit-string', bitCount: 8, bytes: Uint8Array.of(e.status) },
    ...e.rssi.map(integer),
    ...e.lqi.map(unsigned),
    dateTimeOctets(e.lastCommunication),
    ...e.counters.map(unsigned),
  );
}

export function encodeCcs06Response(entries: readonly ChfDeviceLogEntry[], counter: bigint): Uint8Array {
  return encodeDlmsApdu({
    apdu: 'access-response',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: null,
    data: [array(...entries.map(entryData))],
    results: [{ kind: 'get', result: 0 }],
  });
}

export function decodeCcs06Response(content: Uint8Array, contentOffset = 0): readonly ChfDeviceLogEntry[] {
  const shape: DlmsShapeReader = new DlmsShapeReader('CCS06', contentOffset);
  const apdu = shape.response(decodeDlmsApdu(content, contentOffset), 1);
  return shape.elements(apdu.data[0], 'array', undefined, 'device log').map((entry, i) => {
    const f = shape.elements(entry, 'structure', 14, `device log entry ${i}`);
    const num = (k: number, type: 'integer' | 'unsigned') =>
      shape.is(f[k], type, `entry ${i} field ${k}`).value;
    const euiBytes = shape.is(f[0], 'octet-string', 'device EUI').value;
    const time = shape.is(f[8], 'octet-string', 'last communication').value;
    if (euiBytes.length !== 8 || time.length !== 12)
      shape.fail(`device log entry ${i}`, 'EUI or time of the wrong size');
    return {
      device: euiFromBytes(euiBytes),
      status: shape.is(f[1], 'bit-string', 'status').bytes[0] ?? 0,
      rssi: [num(2, 'integer'), num(3, 'integer'), num(4, 'integer')],
      lqi: [num(5, 'unsigned'), num(6, 'unsigned'), num(7, 'unsigned')],
      lastCommunication: readDlmsDateTime(new ByteReader(time, contentOffset), 'last communication'),
      counters: [
        num(9, 'unsigned'),
        num(10, 'unsigned'),
        num(11, 'unsigned'),
        num(12, 'unsigned'),
        num(13, 'unsigned'),
      ],
    };
  });
}

export function decodeCcs06Command(content: Uint8Array, contentOffset = 0): Record<string, never> {
  expectRequest(new DlmsShapeReader('CCS06', contentOffset), decodeDlmsApdu(content, contentOffset), [
    { kind: 'get', descriptor: ACTIVE_DEVICES },
  ]);
  return {};
}
