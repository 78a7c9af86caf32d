import { type DlmsDateTime, describeDlmsDateTime } from '../apdu/dlms-date-time.js';
import type { AccessRequestSpecification, DlmsApdu } from '../payloads/dlms/dlms-apdu.js';
import type { DlmsData } from '../payloads/dlms/dlms-data.js';
import { formatObis } from '../payloads/dlms/dlms-values.js';

/** Decoded values as plain JSON: bytes as upper-case hex, bigints as decimal strings, dates ISO. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex').toUpperCase();
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? null : value.toISOString().replace('.000Z', 'Z');
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (isDlmsDateTime(value)) return describeDlmsDateTime(value);
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value as object)) if (v !== undefined) out[k] = toJsonValue(v);
  return out;
}

function isDlmsDateTime(value: unknown): value is DlmsDateTime {
  return typeof value === 'object' && value !== null && 'clockStatus' in value && 'deviation' in value;
}

/** A DLMS value as `{type: value}`-style JSON a reader can follow. */
export function dlmsDataJson(data: DlmsData): JsonValue {
  switch (data.type) {
    case 'null-data':
      return { type: 'null-data' };
    case 'array':
    case 'structure':
      return { type: data.type, elements: data.elements.map(dlmsDataJson) };
    case 'compact-array':
      return { type: data.type, elements: data.elements.map(dlmsDataJson) };
    case 'bit-string':
      return { type: data.type, bitCount: data.bitCount, value: toJsonValue(data.bytes) };
    default:
      return { type: data.type, value: toJsonValue(data.value) };
  }
}

export function dlmsApduJson(apdu: DlmsApdu): JsonValue {
  const common = {
    apdu: apdu.apdu,
    invokeId: `0x${apdu.invokeId.toString(16).toUpperCase().padStart(8, '0')}`,
    dateTime: apdu.dateTime === null ? null : describeDlmsDateTime(apdu.dateTime),
  };
  const specs = (list: readonly AccessRequestSpecification[]) =>
    list.map((s) => ({
      kind: s.kind,
      classId: s.descriptor.classId,
      obis: formatObis(s.descriptor.obis),
      id: s.descriptor.id,
      ...('accessSelector' in s
        ? { accessSelector: s.accessSelector, accessParameters: dlmsDataJson(s.accessParameters) }
        : {}),
    }));
  if (apdu.apdu === 'access-request') {
    return { ...common, specifications: specs(apdu.specifications), data: apdu.data.map(dlmsDataJson) };
  }
  if (apdu.apdu === 'access-response') {
    return {
      ...common,
      data: apdu.data.map(dlmsDataJson),
      results: apdu.results.map((r) => ({ kind: r.kind, result: r.result })),
    };
  }
  return { ...common, body: dlmsDataJson(apdu.body) };
}
