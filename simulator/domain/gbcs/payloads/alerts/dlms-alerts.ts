import { ByteReader } from '../../apdu/byte-reader.js';
import { type DlmsDateTime, readDlmsDateTime } from '../../apdu/dlms-date-time.js';
import { decodeDlmsApdu, encodeDlmsApdu, invokeIdFor } from '../dlms/dlms-apdu.js';
import type { DlmsData } from '../dlms/dlms-data.js';
import { DlmsShapeReader } from '../dlms/dlms-reading.js';
import { dateTimeOctets, longUnsigned, octets, structure } from '../dlms/dlms-values.js';

/**
 * DLMS alerts (GBCS.md §6.1, §7.9, §7.10): a data-notification whose body is a structure of the
 * alert code (long-unsigned), a 12-byte timestamp, then alert-specific fields:
 * - 0x1000 Generic Critical Alert / 0x1001 Generic Non-Critical Alert: nothing more;
 * - 0x00CE FDRA (0x8F72 verification successful, 0x8F1C failed): the 32-byte calculated
 *   manufacturer image hash.
 * The invoke-id follows the device's alert counter.
 */
export interface DlmsAlert {
  readonly alertCode: number;
  readonly timestamp: DlmsDateTime;
  /** Fields after the timestamp, as DLMS Data. */
  readonly extra: readonly DlmsData[];
}

export function encodeDlmsAlert(alert: DlmsAlert, alertCounter: bigint): Uint8Array {
  return encodeDlmsApdu({
    apdu: 'data-notification',
    invokeId: invokeIdFor(alertCounter),
    dateTime: null,
    body: structure(longUnsigned(alert.alertCode), dateTimeOctets(alert.timestamp), ...alert.extra),
  });
}

export function decodeDlmsAlert(content: Uint8Array, contentOffset = 0): DlmsAlert {
  const shape: DlmsShapeReader = new DlmsShapeReader('alert', contentOffset);
  const apdu = decodeDlmsApdu(content, contentOffset);
  if (apdu.apdu !== 'data-notification')
    shape.fail('APDU', `expected a data-notification (0F), got ${apdu.apdu}`);
  const body = shape.is(apdu.body, 'structure', 'alert body');
  if (body.elements.length < 2) shape.fail('alert body', 'expected at least an alert code and a timestamp');
  const [code, time, ...extra] = body.elements;
  const timeBytes = shape.is(time, 'octet-string', 'alert timestamp').value;
  if (timeBytes.length !== 12) shape.fail('alert timestamp', `expected 12 bytes, got ${timeBytes.length}`);
  return {
    alertCode: shape.is(code, 'long-unsigned', 'alert code').value,
    timestamp: readDlmsDateTime(new ByteReader(timeBytes, contentOffset), 'alert timestamp'),
    extra,
  };
}

/** FDRA (0x00CE): 0x8F72 or 0x8F1C with the calculated manufacturer image hash. */
export interface Fdra {
  readonly alertCode: 0x8f72 | 0x8f1c;
  readonly timestamp: DlmsDateTime;
  /** SHA-256 of the manufacturer image, as the device calculated it. */
  readonly imageHash: Uint8Array;
}

export function encodeFdra(alert: Fdra, alertCounter: bigint): Uint8Array {
  return encodeDlmsAlert(
    { alertCode: alert.alertCode, timestamp: alert.timestamp, extra: [octets(alert.imageHash)] },
    alertCounter,
  );
}

export function decodeFdra(content: Uint8Array, contentOffset = 0): Fdra {
  const shape: DlmsShapeReader = new DlmsShapeReader('FDRA', contentOffset);
  const alert = decodeDlmsAlert(content, contentOffset);
  if (alert.alertCode !== 0x8f72 && alert.alertCode !== 0x8f1c)
    shape.fail(
      'alert code',
      `expected 0x8F72 or 0x8F1C, got 0x${alert.alertCode.toString(16).toUpperCase()}`,
    );
  const hash = shape.is(alert.extra[0], 'octet-string', 'manufacturer image hash').value;
  if (hash.length !== 32 || alert.extra.length !== 1)
    shape.fail('manufacturer image hash', 'expected one 32-byte octet-string');
  return { alertCode: alert.alertCode, timestamp: alert.timestamp, imageHash: hash };
}
