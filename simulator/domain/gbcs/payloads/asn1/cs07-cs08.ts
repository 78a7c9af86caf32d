import { type Eui, euiFromBytes } from '../../../eui.js';
import { eui } from '../../apdu/other-information.js';
import { DER_NULL, DerReader, derBytes, derInteger, derOctets, derSequence } from './der-values.js';

/**
 * CS07 Read Device Join Details and CS08 Read PPMID/HCALCS Firmware Version (GBCS.md §7.1,
 * §7.6): both commands are a bare NULL; the responses are SEQUENCEs led or trailed by a response
 * code (0 success, 1 read failure).
 */
export function encodeNullCommand(): Uint8Array {
  return derBytes(DER_NULL());
}

export function decodeNullCommand(
  useCase: string,
  content: Uint8Array,
  contentOffset = 0,
): Record<string, never> {
  const der = new DerReader(useCase, contentOffset);
  if (!der.isNull(der.parse(content))) der.fail('command', 'expected NULL (05 00)');
  return {};
}

export interface JoinedDevice {
  readonly device: Eui;
  /** GBCS device type integer (3 GPF, 5 PPMID, …). */
  readonly deviceType: number;
}

export interface Cs07Response {
  readonly responseCode: number;
  readonly devices: readonly JoinedDevice[];
}

export function encodeCs07Response(response: Cs07Response): Uint8Array {
  return derBytes(
    derSequence(
      derInteger(response.responseCode),
      derSequence(
        ...response.devices.map((d) => derSequence(derOctets(eui(d.device)), derInteger(d.deviceType))),
      ),
    ),
  );
}

export function decodeCs07Response(content: Uint8Array, contentOffset = 0): Cs07Response {
  const der = new DerReader('CS07', contentOffset);
  const [code, log] = der.sequence(der.parse(content), 'join details', 2);
  const entries = der.sequence(log, 'device log', 0, Number.MAX_SAFE_INTEGER);
  return {
    responseCode: der.smallInteger(code, 'response code'),
    devices: entries.map((entry, i) => {
      const [id, type] = der.sequence(entry, `device log entry ${i}`, 2);
      return {
        device: euiFromBytes(der.octets(id, 'device EUI', 8)),
        deviceType: der.smallInteger(type, 'device type'),
      };
    }),
  };
}

export interface Cs08Response {
  readonly firmwareVersion: Uint8Array;
  readonly responseCode: number;
}

export function encodeCs08Response(response: Cs08Response): Uint8Array {
  return derBytes(derSequence(derOctets(response.firmwareVersion), derInteger(response.responseCode)));
}

export function decodeCs08Response(content: Uint8Array, contentOffset = 0): Cs08Response {
  const der = new DerReader('CS08', contentOffset);
  const [version, code] = der.sequence(der.parse(content), 'firmware version', 2);
  return {
    firmwareVersion: der.octets(version, 'firmware version'),
    responseCode: der.smallInteger(code, 'response code'),
  };
}
