import { GBCS_DEVICE_TYPE_CODES } from '../../device/device-types.js';
import { parseEui } from '../../eui.js';
import { GbcsEncodeError } from '../../gbcs/apdu/gbcs-codec-error.js';
import {
  decodeCs07Response,
  decodeNullCommand,
  encodeCs07Response,
  encodeNullCommand,
} from '../../gbcs/payloads/asn1/cs07-cs08.js';
import { succeeded, type UseCaseContent } from './use-case-content.js';

/** CS07's response code when the device could not read its join details (GBCS.md §7.6). */
const READ_FAILURE = 1;

function joinedDevices(body: Readonly<Record<string, unknown>>): string[] {
  if (!Array.isArray(body.deviceLog)) throw new GbcsEncodeError('8.9 response names no deviceLog');
  return body.deviceLog.map(String);
}

/**
 * 8.9's payload on a HAN device, CS07 Read Device Join Details (GBCS.md §6.2, §7.6): the command
 * is an ASN.1 NULL; the response a SEQUENCE of the response code (0 success, 1 read failure) and
 * the device log, one SEQUENCE {EUI, GBCS device type} per joined device. The body: `{}` →
 * `{ status, deviceLog: [EUI …] }`, as CCS06 on a hub. A trialsim device keeps only the EUIs of
 * its log; the type of each comes from the writer's `deviceTypeOf` when it knows it, else ESME
 * (as CCS01 does; trialsim's GPFs hold no log entries, only a hub's 8.11 adds any).
 */
export const cs07Content: UseCaseContent = {
  encodeCommand: () => encodeNullCommand(),
  decodeCommand: (content, offset) => decodeNullCommand('CS07', content, offset),
  encodeResponse: (body, { deviceTypeOf }) => {
    if (!succeeded(body)) return encodeCs07Response({ responseCode: READ_FAILURE, devices: [] });
    const devices = joinedDevices(body).map((text) => {
      let device: ReturnType<typeof parseEui>;
      try {
        device = parseEui(text);
      } catch {
        throw new GbcsEncodeError(`8.9 deviceLog entry "${text}" is not an EUI`);
      }
      return { device, deviceType: GBCS_DEVICE_TYPE_CODES[deviceTypeOf?.(device) ?? 'ESME'] };
    });
    return encodeCs07Response({ responseCode: 0, devices });
  },
  decodeResponse: (content, offset) => {
    const { responseCode, devices } = decodeCs07Response(content, offset);
    return responseCode === 0
      ? { status: 'success', deviceLog: devices.map((d) => d.device) }
      : { status: 'failure', responseCode };
  },
};
