import { type Eui, euiFromBytes } from '../../../eui.js';
import { eui } from '../../apdu/other-information.js';
import { DerReader, derBytes, derGeneralizedTime, derInteger, derOctets, derSequence } from './der-values.js';

/**
 * CCS08 Firmware Transfer Alert (0x0128), from the CHF to the ACB after it has sent an OTA image
 * to a device (GBCS.md §7.9): alert 0x8F8A success / 0x8F89 failure, date-time, the device the
 * image went to, the firmware version, and a response code (0 success, 1 image discarded,
 * 2 hardware version mismatch, 3 file transfer failure).
 */
export interface Ccs08Alert {
  readonly alertCode: 0x8f8a | 0x8f89;
  readonly dateTime: Date;
  readonly entity: Eui;
  readonly firmwareVersion: Uint8Array;
  readonly responseCode: number;
}

export function encodeCcs08Alert(alert: Ccs08Alert): Uint8Array {
  return derBytes(
    derSequence(
      derInteger(alert.alertCode),
      derGeneralizedTime(alert.dateTime),
      derOctets(eui(alert.entity)),
      derOctets(alert.firmwareVersion),
      derInteger(alert.responseCode),
    ),
  );
}

export function decodeCcs08Alert(content: Uint8Array, contentOffset = 0): Ccs08Alert {
  const der: DerReader = new DerReader('CCS08', contentOffset);
  const [code, time, entity, version, response] = der.sequence(der.parse(content), 'alert', 5);
  const alertCode = der.smallInteger(code, 'alert code');
  if (alertCode !== 0x8f8a && alertCode !== 0x8f89)
    der.fail('alert code', `expected 0x8F8A or 0x8F89, got ${alertCode}`);
  return {
    alertCode,
    dateTime: der.generalizedTime(time, 'date-time'),
    entity: euiFromBytes(der.octets(entity, 'entity ID', 8)),
    firmwareVersion: der.octets(version, 'firmware version'),
    responseCode: der.smallInteger(response, 'response code'),
  };
}
