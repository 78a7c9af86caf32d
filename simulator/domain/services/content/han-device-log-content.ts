import { GBCS_DEVICE_TYPE_CODES } from '../../device/device-types.js';
import { type Eui, parseEui } from '../../eui.js';
import { dlmsDateTimeFromDate } from '../../gbcs/apdu/dlms-date-time.js';
import { GbcsEncodeError } from '../../gbcs/apdu/gbcs-codec-error.js';
import {
  decodeCcs01Ccs02Response,
  decodeCcs01Command,
  decodeCcs02Command,
  encodeCcs01Command,
  encodeCcs01Response,
  encodeCcs02Command,
  encodeCcs02Response,
} from '../../gbcs/payloads/chf/ccs01-ccs02.js';
import {
  type ChfDeviceLogEntry,
  decodeCcs06Command,
  decodeCcs06Response,
  encodeCcs06Command,
  encodeCcs06Response,
} from '../../gbcs/payloads/chf/ccs06.js';
import { decodeDlmsApdu } from '../../gbcs/payloads/dlms/dlms-apdu.js';
import {
  DLMS_OTHER_REASON,
  dlmsFailureResponse,
  dlmsOutcome,
  succeeded,
  type UseCaseContent,
} from './use-case-content.js';

/**
 * DUIS JoinTimePeriod when the request names none, seconds (the RTDS example's value). The
 * install code, when absent, is 16 ASCII zeros: trialsim's hubs join without checking it.
 */
const DEFAULT_JOIN_TIME_S = 90;
const NO_INSTALL_CODE = '0000000000000000';

function deviceId(body: Readonly<Record<string, unknown>>): Eui {
  try {
    return parseEui(String(body.deviceId));
  } catch {
    throw new GbcsEncodeError(`8.11 names no valid deviceId (${String(body.deviceId)})`);
  }
}

/**
 * 8.11's payloads (GBCS.md §7.5). CCS01 names the joining device, its GBCS device type (from
 * the DCC's SMI; ESME when the SMI does not know it), its install code (DUIS InstallCode, its
 * characters as octets) and join time; the device reads `{ action: 'add', deviceId, installCode,
 * joinTimePeriod }`. CCS02 names the device to remove. Both answer per-operation results only.
 */
export const ccs01Content: UseCaseContent = {
  encodeCommand: (body, { counter, deviceTypeOf }) => {
    const device = deviceId(body);
    return encodeCcs01Command(
      {
        device,
        deviceType: GBCS_DEVICE_TYPE_CODES[deviceTypeOf?.(device) ?? 'ESME'],
        installCode: Uint8Array.from(Buffer.from(String(body.installCode ?? NO_INSTALL_CODE), 'latin1')),
        joinTimeout: Number(body.joinTimePeriod ?? DEFAULT_JOIN_TIME_S),
      },
      counter,
    );
  },
  decodeCommand: (content, offset) => {
    const command = decodeCcs01Command(content, offset);
    return {
      action: 'add',
      deviceId: command.device,
      installCode: Buffer.from(command.installCode).toString('latin1'),
      joinTimePeriod: command.joinTimeout,
    };
  },
  encodeResponse: (body, { counter }) =>
    encodeCcs01Response(
      counter,
      succeeded(body) ? [0, 0, 0] : [DLMS_OTHER_REASON, DLMS_OTHER_REASON, DLMS_OTHER_REASON],
    ),
  decodeResponse: (content, offset) => dlmsOutcome(decodeCcs01Ccs02Response(content, offset)),
};

export const ccs02Content: UseCaseContent = {
  encodeCommand: (body, { counter }) => encodeCcs02Command({ device: deviceId(body) }, counter),
  decodeCommand: (content, offset) => ({
    action: 'remove',
    deviceId: decodeCcs02Command(content, offset).device,
  }),
  encodeResponse: (body, { counter }) =>
    encodeCcs02Response(counter, succeeded(body) ? 0 : DLMS_OTHER_REASON),
  decodeResponse: (content, offset) => dlmsOutcome(decodeCcs01Ccs02Response(content, offset)),
};

/**
 * CCS06's entry for a device in the hub's log. trialsim's HAN is no radio: the status, RSSI, LQI
 * and counter figures are fixed values of RTDS's layout (their meaning is UNCONFIRMED, GBCS.md
 * §7.6), the last communication the hub's clock.
 */
function logEntry(device: Eui, now: number): ChfDeviceLogEntry {
  return {
    device,
    status: 0,
    rssi: [0, 0, 0],
    lqi: [0, 0, 0],
    lastCommunication: dlmsDateTimeFromDate(new Date(now)),
    counters: [0, 0, 0, 0, 0],
  };
}

/** 8.9's payload on a comms hub: CCS06; the body `{}` → `{ status, deviceLog: [EUI …] }`. */
export const ccs06Content: UseCaseContent = {
  encodeCommand: (_body, { counter }) => encodeCcs06Command(counter),
  decodeCommand: (content, offset) => decodeCcs06Command(content, offset),
  encodeResponse: (body, { counter, now }) =>
    succeeded(body) && Array.isArray(body.deviceLog)
      ? encodeCcs06Response(
          body.deviceLog.map((eui) => logEntry(parseEui(String(eui)), now)),
          counter,
        )
      : dlmsFailureResponse(['get'], counter),
  decodeResponse: (content, offset) => {
    const apdu = decodeDlmsApdu(content, offset);
    const outcome = dlmsOutcome(apdu.apdu === 'access-response' ? apdu.results.map((r) => r.result) : []);
    if (outcome.status !== 'success') return outcome;
    return { status: 'success', deviceLog: decodeCcs06Response(content, offset).map((e) => e.device) };
  },
};
