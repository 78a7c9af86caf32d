import { decodeDlmsApdu, encodeDlmsApdu, invokeIdFor } from '../dlms/dlms-apdu.js';
import type { DlmsData } from '../dlms/dlms-data.js';
import { DlmsShapeReader, expectRequest } from '../dlms/dlms-reading.js';
import {
  array,
  dateFromSeconds2000,
  descriptor,
  doubleLongUnsigned,
  formatObis,
  integer,
  longUnsigned,
  NULL_DATA,
  obis,
  octets,
  secondsSince2000,
  structure,
} from '../dlms/dlms-values.js';

/**
 * ECS35a Read ESME Event Log / ECS35b Read ESME Security Log (GBCS.md §7.4): get-with-selection
 * on the profile's buffer with a range over the restricting object 0-0:94.44.100.255; times are
 * seconds since 2000-01-01T00:00:00Z. The response is a compact-array of (time, event code,
 * octet-string of extra data).
 */
export type EsmeLog = 'event' | 'security';
const PROFILE: Record<EsmeLog, string> = { event: '0-0:99.98.0.255', security: '0-0:99.98.1.255' };
const RESTRICTING_OBJECT = obis('0-0:94.44.100.255');
const ENTRY_DESCRIPTION = {
  type: 'structure',
  elements: [{ type: 'double-long-unsigned' }, { type: 'long-unsigned' }, { type: 'octet-string' }],
} as const;

export interface Ecs35Command {
  readonly log: EsmeLog;
  readonly from: Date;
  readonly to: Date;
}

export function encodeEcs35Command(request: Ecs35Command, counter: bigint): Uint8Array {
  return encodeDlmsApdu({
    apdu: 'access-request',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: [
      {
        kind: 'get-with-selection',
        descriptor: descriptor(7, PROFILE[request.log], 2),
        accessSelector: 1,
        accessParameters: structure(
          structure(
            longUnsigned(1),
            octets(Uint8Array.from(RESTRICTING_OBJECT)),
            integer(2),
            longUnsigned(0),
          ),
          doubleLongUnsigned(secondsSince2000(request.from)),
          doubleLongUnsigned(secondsSince2000(request.to)),
          array(),
        ),
      },
    ],
    data: [NULL_DATA],
  });
}

export interface LogEntry {
  readonly time: Date;
  /** The event or alert code, e.g. 0x8F01. */
  readonly code: number;
  readonly data: Uint8Array;
}

export function encodeEcs35Response(entries: readonly LogEntry[], counter: bigint): Uint8Array {
  return encodeDlmsApdu({
    apdu: 'access-response',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: null,
    data: [
      {
        type: 'compact-array',
        description: ENTRY_DESCRIPTION,
        elements: entries.map((e) =>
          structure(doubleLongUnsigned(secondsSince2000(e.time)), longUnsigned(e.code), octets(e.data)),
        ),
      },
    ],
    results: [{ kind: 'get', result: 0 }],
  });
}

export function decodeEcs35Response(content: Uint8Array, contentOffset = 0): readonly LogEntry[] {
  const shape: DlmsShapeReader = new DlmsShapeReader('ECS35', contentOffset);
  const apdu = shape.response(decodeDlmsApdu(content, contentOffset), 1);
  const log = shape.is(apdu.data[0], 'compact-array', 'log');
  return log.elements.map((entry: DlmsData, i) => {
    const [time, code, data] = shape.elements(entry, 'structure', 3, `log entry ${i}`);
    return {
      time: dateFromSeconds2000(shape.is(time, 'double-long-unsigned', 'entry time').value),
      code: shape.is(code, 'long-unsigned', 'entry code').value,
      data: shape.is(data, 'octet-string', 'entry data').value,
    };
  });
}

export function decodeEcs35Command(content: Uint8Array, contentOffset = 0): Ecs35Command {
  const shape: DlmsShapeReader = new DlmsShapeReader('ECS35', contentOffset);
  const apdu = decodeDlmsApdu(content, contentOffset);
  const spec = apdu.apdu === 'access-request' ? apdu.specifications[0] : undefined;
  const log = (Object.keys(PROFILE) as EsmeLog[]).find(
    (l) => spec !== undefined && formatObis(spec.descriptor.obis) === PROFILE[l],
  );
  if (log === undefined || spec?.kind !== 'get-with-selection')
    shape.fail('specification', 'not a get-with-selection on the event or security log');
  expectRequest(shape, apdu, [{ kind: 'get-with-selection', descriptor: descriptor(7, PROFILE[log], 2) }]);
  const [, from, to] = shape.elements(spec.accessParameters, 'structure', 4, 'range descriptor');
  return {
    log,
    from: dateFromSeconds2000(shape.is(from, 'double-long-unsigned', 'from').value),
    to: dateFromSeconds2000(shape.is(to, 'double-long-unsigned', 'to').value),
  };
}
