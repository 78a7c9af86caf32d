import { ByteReader } from '../../apdu/byte-reader.js';
import {
  DLMS_DATE_TIME_NOT_SPECIFIED,
  type DlmsDateTime,
  readDlmsDateTime,
} from '../../apdu/dlms-date-time.js';
import { decodeDlmsApdu, encodeDlmsApdu, invokeIdFor } from '../dlms/dlms-apdu.js';
import { DlmsShapeReader } from '../dlms/dlms-reading.js';
import {
  dateTimeOctets,
  descriptor,
  enumValue,
  integer,
  NULL_DATA,
  structure,
  unsigned,
} from '../dlms/dlms-values.js';

/**
 * ECS70 Set Clock on ESME (GBCS.md §7.3), five operations on class 8 (Clock) 0-0:1.0.0.255:
 * set clock base (attribute 9) to 5, preset adjusting time (method 5) with an unspecified preset
 * time and the validity window, adjust to preset time (method 4), then get time (2) and status (4).
 */
const CLOCK = '0-0:1.0.0.255';
const CLOCK_BASE = 5;

export interface Ecs70Command {
  readonly validityStart: DlmsDateTime;
  readonly validityEnd: DlmsDateTime;
}

export function encodeEcs70Command(request: Ecs70Command, counter: bigint): Uint8Array {
  return encodeDlmsApdu({
    apdu: 'access-request',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: [
      { kind: 'set', descriptor: descriptor(8, CLOCK, 9) },
      { kind: 'action', descriptor: descriptor(8, CLOCK, 5) },
      { kind: 'action', descriptor: descriptor(8, CLOCK, 4) },
      { kind: 'get', descriptor: descriptor(8, CLOCK, 2) },
      { kind: 'get', descriptor: descriptor(8, CLOCK, 4) },
    ],
    data: [
      enumValue(CLOCK_BASE),
      structure(
        dateTimeOctets(DLMS_DATE_TIME_NOT_SPECIFIED),
        dateTimeOctets(request.validityStart),
        dateTimeOctets(request.validityEnd),
      ),
      integer(0),
      NULL_DATA,
      NULL_DATA,
    ],
  });
}

export function decodeEcs70Command(content: Uint8Array, contentOffset = 0): Ecs70Command {
  const shape: DlmsShapeReader = new DlmsShapeReader('ECS70', contentOffset);
  const apdu = decodeDlmsApdu(content, contentOffset);
  if (apdu.apdu !== 'access-request' || apdu.data.length !== 5)
    shape.fail('APDU', 'expected an access-request with 5 operations');
  const [, start, end] = shape.elements(apdu.data[1], 'structure', 3, 'preset adjusting time argument');
  return {
    validityStart: dateTime(shape, shape.is(start, 'octet-string', 'validity start').value, contentOffset),
    validityEnd: dateTime(shape, shape.is(end, 'octet-string', 'validity end').value, contentOffset),
  };
}

export interface Ecs70Response {
  /** The device's time after the adjustment (attribute 2). */
  readonly time: DlmsDateTime | null;
  readonly status: number | null;
  /** One per operation, 0 = success. */
  readonly results: readonly number[];
}

export function encodeEcs70Response(
  response: { readonly time: DlmsDateTime; readonly status?: number; readonly results?: readonly number[] },
  counter: bigint,
): Uint8Array {
  const { time, status = 0, results = [0, 0, 0, 0, 0] } = response;
  const kinds = ['set', 'action', 'action', 'get', 'get'] as const;
  return encodeDlmsApdu({
    apdu: 'access-response',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: null,
    data: [NULL_DATA, NULL_DATA, NULL_DATA, dateTimeOctets(time), unsigned(status)],
    results: kinds.map((kind, i) => ({ kind, result: results[i] ?? 0 })),
  });
}

export function decodeEcs70Response(content: Uint8Array, contentOffset = 0): Ecs70Response {
  const shape: DlmsShapeReader = new DlmsShapeReader('ECS70', contentOffset);
  const apdu = shape.response(decodeDlmsApdu(content, contentOffset), 5);
  const time =
    apdu.data[3]?.type === 'octet-string' ? dateTime(shape, apdu.data[3].value, contentOffset) : null;
  const status = apdu.data[4]?.type === 'unsigned' ? apdu.data[4].value : null;
  return { time, status, results: apdu.results.map((r) => r.result) };
}

function dateTime(shape: DlmsShapeReader, bytes: Uint8Array, contentOffset: number): DlmsDateTime {
  if (bytes.length !== 12) shape.fail('date-time', `expected 12 bytes, got ${bytes.length}`);
  return readDlmsDateTime(new ByteReader(bytes, contentOffset), 'date-time');
}
