import { type ByteReader, hex2 } from './byte-reader.js';
import { GbcsEncodeError } from './gbcs-codec-error.js';

/**
 * A DLMS date-time, 12 bytes (GBCS.md §6.1): year (2), month, day, day of week, hour, minute,
 * second, hundredths, deviation (2, signed minutes), clock status. Every field is kept as
 * written, "not specified" values (`FF`, `FFFF`, deviation `8000`) included, so a decoded
 * date-time re-encodes to the same 12 bytes.
 */
export interface DlmsDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly dayOfWeek: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly hundredths: number;
  /** Minutes from local time to UTC, signed; `-32768` (0x8000) = not specified. */
  readonly deviation: number;
  readonly clockStatus: number;
}

export const DLMS_DATE_TIME_LENGTH = 12;
const NOT_SPECIFIED = 0xff;
const DEVIATION_NOT_SPECIFIED = -0x8000;

/** ECS70's preset time and other "any time" fields: every part not specified. */
export const DLMS_DATE_TIME_NOT_SPECIFIED: DlmsDateTime = Object.freeze({
  year: 0xffff,
  month: NOT_SPECIFIED,
  day: NOT_SPECIFIED,
  dayOfWeek: NOT_SPECIFIED,
  hour: NOT_SPECIFIED,
  minute: NOT_SPECIFIED,
  second: NOT_SPECIFIED,
  hundredths: NOT_SPECIFIED,
  deviation: DEVIATION_NOT_SPECIFIED,
  clockStatus: NOT_SPECIFIED,
});

/**
 * A UTC instant as GBCS devices write it: day of week, deviation and clock status not
 * specified, hundredths 0 (as in every RTDS message).
 */
export function dlmsDateTimeFromDate(date: Date): DlmsDateTime {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    dayOfWeek: NOT_SPECIFIED,
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    hundredths: 0,
    deviation: DEVIATION_NOT_SPECIFIED,
    clockStatus: NOT_SPECIFIED,
  };
}

/** The instant, read as UTC, or undefined when a date or time part is not specified. */
export function dlmsDateTimeToDate(value: DlmsDateTime): Date | undefined {
  const parts = [value.month, value.day, value.hour, value.minute, value.second];
  if (value.year === 0xffff || parts.some((p) => p === NOT_SPECIFIED)) return undefined;
  const hundredths = value.hundredths === NOT_SPECIFIED ? 0 : value.hundredths;
  const date = new Date(
    Date.UTC(value.year, value.month - 1, value.day, value.hour, value.minute, value.second, hundredths * 10),
  );
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `2015-01-01T00:00:00Z`, or the raw fields when not every part is specified. */
export function describeDlmsDateTime(value: DlmsDateTime): string {
  const date = dlmsDateTimeToDate(value);
  if (date !== undefined) return date.toISOString().replace('.000Z', 'Z');
  return `not specified (${Array.from(encodeDlmsDateTime(value), hex2).join(' ')})`;
}

/** Field offsets of the one-byte fields (the year is at 0–1, the deviation at 9–10). */
const BYTE_FIELDS: readonly (readonly [keyof DlmsDateTime, number])[] = [
  ['month', 2],
  ['day', 3],
  ['dayOfWeek', 4],
  ['hour', 5],
  ['minute', 6],
  ['second', 7],
  ['hundredths', 8],
  ['clockStatus', 11],
];

export function encodeDlmsDateTime(value: DlmsDateTime): Uint8Array {
  // Big-endian halves by hand, not through a DataView: that needs out.buffer, which makes V8
  // move this small array off its heap (every dated response encodes one, #21).
  const out = new Uint8Array(DLMS_DATE_TIME_LENGTH);
  checkRange('year', value.year, 0, 0xffff);
  out[0] = value.year >>> 8;
  out[1] = value.year;
  for (const [name, at] of BYTE_FIELDS) {
    checkRange(name, value[name], 0, 0xff);
    out[at] = value[name];
  }
  checkRange('deviation', value.deviation, -0x8000, 0x7fff);
  out[9] = value.deviation >> 8; // two's complement: the typed array keeps the low 8 bits
  out[10] = value.deviation;
  return out;
}

/** Reads the 12 bytes (the caller has read any `09 0C` or `0C` in front). */
export function readDlmsDateTime(reader: ByteReader, field: string): DlmsDateTime {
  const bytes = reader.take(DLMS_DATE_TIME_LENGTH, field);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    year: view.getUint16(0),
    month: bytes[2] as number,
    day: bytes[3] as number,
    dayOfWeek: bytes[4] as number,
    hour: bytes[5] as number,
    minute: bytes[6] as number,
    second: bytes[7] as number,
    hundredths: bytes[8] as number,
    deviation: view.getInt16(9),
    clockStatus: bytes[11] as number,
  };
}

function checkRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new GbcsEncodeError(`DLMS date-time ${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}
