import { ByteReader, hex2 } from '../../apdu/byte-reader.js';
import { encodeDerLength } from '../../apdu/der-length.js';
import { type DlmsDateTime, encodeDlmsDateTime, readDlmsDateTime } from '../../apdu/dlms-date-time.js';
import { GbcsEncodeError } from '../../apdu/gbcs-codec-error.js';
import { type DlmsData, encodeDlmsData, readDlmsData } from './dlms-data.js';

/**
 * The three DLMS APDUs GBCS payloads use (GBCS.md §6.1): access-request (`D9`, commands),
 * access-response (`DA`, responses) and data-notification (`0F`, alerts).
 */
export const DLMS_ACCESS_REQUEST = 0xd9;
export const DLMS_ACCESS_RESPONSE = 0xda;
export const DLMS_DATA_NOTIFICATION = 0x0f;

/** A COSEM attribute or method: class-id, instance-id (OBIS, 6 bytes), attribute or method id. */
export interface CosemDescriptor {
  readonly classId: number;
  readonly obis: readonly [number, number, number, number, number, number];
  readonly id: number;
}

export type AccessRequestSpecification =
  | { readonly kind: 'get' | 'set' | 'action'; readonly descriptor: CosemDescriptor }
  | {
      readonly kind: 'get-with-selection' | 'set-with-selection';
      readonly descriptor: CosemDescriptor;
      readonly accessSelector: number;
      readonly accessParameters: DlmsData;
    };

const SPEC_CHOICE = { get: 1, set: 2, action: 3, 'get-with-selection': 4, 'set-with-selection': 5 } as const;
const SPEC_BY_CHOICE = ['', 'get', 'set', 'action', 'get-with-selection', 'set-with-selection'] as const;

export interface AccessRequest {
  readonly apdu: 'access-request';
  /** long-invoke-id-and-priority: `20` ‖ low 24 bits of the originator counter (GBCS.md §5.7). */
  readonly invokeId: number;
  readonly dateTime: DlmsDateTime | null;
  readonly specifications: readonly AccessRequestSpecification[];
  /** One per specification: null-data for a get, the value for a set or action. */
  readonly data: readonly DlmsData[];
}

export interface AccessResult {
  readonly kind: 'get' | 'set' | 'action';
  /** 0 = success (DLMS data-access-result / action-result). */
  readonly result: number;
}

export interface AccessResponse {
  readonly apdu: 'access-response';
  readonly invokeId: number;
  readonly dateTime: DlmsDateTime | null;
  /** Present only when the device echoes the request's specifications (not in RTDS). */
  readonly specifications: readonly AccessRequestSpecification[] | null;
  readonly data: readonly DlmsData[];
  readonly results: readonly AccessResult[];
}

export interface DataNotification {
  readonly apdu: 'data-notification';
  readonly invokeId: number;
  readonly dateTime: DlmsDateTime | null;
  readonly body: DlmsData;
}

export type DlmsApdu = AccessRequest | AccessResponse | DataNotification;

/** GBCS.md §5.7: the invoke-id is `20` ‖ the low 24 bits of the originator counter. */
export function invokeIdFor(counter: bigint): number {
  return 0x2000_0000 + Number(counter & 0xff_ffffn);
}

export function encodeDlmsApdu(apdu: DlmsApdu): Uint8Array {
  const out: Uint8Array[] = [];
  const tag =
    apdu.apdu === 'access-request'
      ? DLMS_ACCESS_REQUEST
      : apdu.apdu === 'access-response'
        ? DLMS_ACCESS_RESPONSE
        : DLMS_DATA_NOTIFICATION;
  out.push(Uint8Array.of(tag), uint32(apdu.invokeId), dateTime(apdu.dateTime));
  if (apdu.apdu === 'access-request') {
    if (apdu.data.length !== apdu.specifications.length) {
      throw new GbcsEncodeError('an access-request has one data item per specification');
    }
    out.push(specifications(apdu.specifications), list(apdu.data));
  } else if (apdu.apdu === 'access-response') {
    out.push(
      apdu.specifications === null
        ? Uint8Array.of(0)
        : Buffer.concat([Uint8Array.of(1), specifications(apdu.specifications)]),
    );
    out.push(list(apdu.data), encodeDerLength(apdu.results.length));
    for (const r of apdu.results) out.push(Uint8Array.of(SPEC_CHOICE[r.kind], byte(r.result, 'result')));
  } else {
    out.push(encodeDlmsData(apdu.body));
  }
  return Uint8Array.from(Buffer.concat(out));
}

function specifications(specs: readonly AccessRequestSpecification[]): Uint8Array {
  const out: Uint8Array[] = [encodeDerLength(specs.length)];
  for (const spec of specs) {
    out.push(Uint8Array.of(SPEC_CHOICE[spec.kind]), descriptor(spec.descriptor));
    if (spec.kind === 'get-with-selection' || spec.kind === 'set-with-selection') {
      out.push(
        Uint8Array.of(byte(spec.accessSelector, 'access-selector')),
        encodeDlmsData(spec.accessParameters),
      );
    }
  }
  return Buffer.concat(out);
}

function descriptor(d: CosemDescriptor): Uint8Array {
  if (!Number.isInteger(d.classId) || d.classId < 0 || d.classId > 0xffff || d.obis.length !== 6) {
    throw new GbcsEncodeError(`not a COSEM descriptor: class ${d.classId}, OBIS ${d.obis.join('.')}`);
  }
  return Uint8Array.of(
    d.classId >> 8,
    d.classId & 0xff,
    ...d.obis.map((b) => byte(b, 'OBIS byte')),
    byte(d.id, 'attribute/method id'),
  );
}

function list(items: readonly DlmsData[]): Uint8Array {
  return Buffer.concat([encodeDerLength(items.length), ...items.map(encodeDlmsData)]);
}

function dateTime(value: DlmsDateTime | null): Uint8Array {
  return value === null ? Uint8Array.of(0) : Buffer.concat([Uint8Array.of(12), encodeDlmsDateTime(value)]);
}

function uint32(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff)
    throw new GbcsEncodeError(`invoke-id must be a uint32, got ${value}`);
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

function byte(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff)
    throw new GbcsEncodeError(`${name} must be a byte, got ${value}`);
  return value;
}

/** Decodes a DLMS payload; `base` is the content's offset in the message, for error offsets. */
export function decodeDlmsApdu(content: Uint8Array, base = 0): DlmsApdu {
  const reader: ByteReader = new ByteReader(content, base);
  const at = reader.offset;
  const tag = reader.byte('DLMS APDU tag');
  const invokeId = reader.uint(4, 'invoke-id');
  const time = readDateTime(reader);
  let apdu: DlmsApdu;
  if (tag === DLMS_ACCESS_REQUEST) {
    const specs = readSpecifications(reader);
    const data = readList(reader, 'access-request data');
    if (data.length !== specs.length) {
      reader.fail('access-request data', `${data.length} data items for ${specs.length} specifications`);
    }
    apdu = { apdu: 'access-request', invokeId, dateTime: time, specifications: specs, data };
  } else if (tag === DLMS_ACCESS_RESPONSE) {
    const specAt = reader.offset;
    const hasSpecs = reader.byte('access-request specification presence');
    if (hasSpecs > 1)
      reader.fail(
        'access-request specification presence',
        `expected 0x00 or 0x01, got 0x${hex2(hasSpecs)}`,
        specAt,
      );
    const specs = hasSpecs === 1 ? readSpecifications(reader) : null;
    const data = readList(reader, 'access-response data');
    const count = reader.derLength('access-response results count');
    const results: AccessResult[] = [];
    for (let i = 0; i < count; i++) {
      const choiceAt = reader.offset;
      const choice = reader.byte(`result[${i}] choice`);
      const kind = SPEC_BY_CHOICE[choice];
      if (kind !== 'get' && kind !== 'set' && kind !== 'action') {
        reader.fail(`result[${i}] choice`, `0x${hex2(choice)} is not 01 get, 02 set or 03 action`, choiceAt);
      }
      results.push({ kind, result: reader.byte(`result[${i}]`) });
    }
    apdu = { apdu: 'access-response', invokeId, dateTime: time, specifications: specs, data, results };
  } else if (tag === DLMS_DATA_NOTIFICATION) {
    apdu = {
      apdu: 'data-notification',
      invokeId,
      dateTime: time,
      body: readDlmsData(reader, 'notification body'),
    };
  } else {
    reader.fail(
      'DLMS APDU tag',
      `0x${hex2(tag)} is not D9 (access-request), DA (access-response) or 0F (data-notification)`,
      at,
    );
  }
  reader.end('DLMS APDU');
  return apdu;
}

function readDateTime(reader: ByteReader): DlmsDateTime | null {
  const at = reader.offset;
  const length = reader.byte('DLMS date-time length');
  if (length === 0) return null;
  if (length !== 12)
    reader.fail('DLMS date-time length', `expected 0x00 (absent) or 0x0C, got 0x${hex2(length)}`, at);
  return readDlmsDateTime(reader, 'DLMS date-time');
}

function readSpecifications(reader: ByteReader): AccessRequestSpecification[] {
  const count = reader.derLength('access-request specifications count');
  const specs: AccessRequestSpecification[] = [];
  for (let i = 0; i < count; i++) {
    const field = `specification[${i}]`;
    const at = reader.offset;
    const choice = reader.byte(`${field} choice`);
    const kind = SPEC_BY_CHOICE[choice];
    if (kind === undefined || kind === '')
      reader.fail(`${field} choice`, `0x${hex2(choice)} is not 01…05`, at);
    const classId = reader.uint(2, `${field} class-id`);
    const obis = Array.from(reader.take(6, `${field} instance-id`)) as unknown as CosemDescriptor['obis'];
    const id = reader.byte(`${field} attribute/method id`);
    const d = { classId, obis, id };
    if (kind === 'get-with-selection' || kind === 'set-with-selection') {
      const accessSelector = reader.byte(`${field} access-selector`);
      specs.push({
        kind,
        descriptor: d,
        accessSelector,
        accessParameters: readDlmsData(reader, `${field} access-parameters`),
      });
    } else {
      specs.push({ kind, descriptor: d });
    }
  }
  return specs;
}

function readList(reader: ByteReader, field: string): DlmsData[] {
  const count = reader.derLength(`${field} count`);
  const items: DlmsData[] = [];
  for (let i = 0; i < count; i++) items.push(readDlmsData(reader, `${field}[${i}]`));
  return items;
}
