import { type DlmsDateTime, encodeDlmsDateTime } from '../../apdu/dlms-date-time.js';
import type { CosemDescriptor } from './dlms-apdu.js';
import type { DlmsData } from './dlms-data.js';

/** Short constructors for DLMS Data, so use-case codecs read like the splits in GBCS.md §7. */
export const NULL_DATA: DlmsData = Object.freeze({ type: 'null-data' });

export const octets = (value: Uint8Array): DlmsData => ({ type: 'octet-string', value });
export const structure = (...elements: DlmsData[]): DlmsData => ({ type: 'structure', elements });
export const array = (...elements: DlmsData[]): DlmsData => ({ type: 'array', elements });
export const enumValue = (value: number): DlmsData => ({ type: 'enum', value });
export const integer = (value: number): DlmsData => ({ type: 'integer', value });
export const unsigned = (value: number): DlmsData => ({ type: 'unsigned', value });
export const longUnsigned = (value: number): DlmsData => ({ type: 'long-unsigned', value });
export const doubleLongUnsigned = (value: number): DlmsData => ({ type: 'double-long-unsigned', value });
export const bool = (value: boolean): DlmsData => ({ type: 'boolean', value });
/** A date-time travels as a 12-byte octet-string (GBCS.md §6.1). */
export const dateTimeOctets = (value: DlmsDateTime): DlmsData => octets(encodeDlmsDateTime(value));

export function obis(text: string): CosemDescriptor['obis'] {
  const parts = text.split(/[-:.]/).map(Number);
  if (parts.length !== 6 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new RangeError(`not an OBIS code like 0-0:1.0.0.255: ${text}`);
  }
  return parts as unknown as CosemDescriptor['obis'];
}

export function descriptor(classId: number, obisCode: string, id: number): CosemDescriptor {
  return { classId, obis: obis(obisCode), id };
}

export function formatObis(code: CosemDescriptor['obis']): string {
  const [a, b, c, d, e, f] = code;
  return `${a}-${b}:${c}.${d}.${e}.${f}`;
}

/** Seconds since 2000-01-01T00:00:00Z, the log time base of ECS35a/b (GBCS.md §7.4). */
export const GBCS_EPOCH_MS = Date.UTC(2000, 0, 1);

export function secondsSince2000(date: Date): number {
  return Math.floor((date.getTime() - GBCS_EPOCH_MS) / 1000);
}

export function dateFromSeconds2000(seconds: number): Date {
  return new Date(GBCS_EPOCH_MS + seconds * 1000);
}
