import type { Eui } from '../../eui.js';
import { dlmsDateTimeFromDate, dlmsDateTimeToDate } from '../../gbcs/apdu/dlms-date-time.js';
import { GbcsEncodeError } from '../../gbcs/apdu/gbcs-codec-error.js';
import {
  decodeDlmsAlert,
  decodeFdra,
  encodeDlmsAlert,
  encodeFdra,
} from '../../gbcs/payloads/alerts/dlms-alerts.js';
import { decodeCcs08Alert, encodeCcs08Alert } from '../../gbcs/payloads/asn1/ccs08.js';
import {
  decodeFutureDatedActivationAlert,
  encodeFutureDatedActivationAlert,
} from '../../gbcs/payloads/asn1/cs06.js';
import { firmwareVersionOctets, firmwareVersionText } from '../../gbcs/payloads/firmware-version.js';
import { formatMessageCode } from '../../gbcs/use-cases/use-case-catalogue.js';
import { RESPONSE_CODES, STATUS_BY_CODE } from './activate-firmware-content.js';

/** What a device knows when it writes an alert: its alert counter, its clock and its EUI. */
export interface AlertContext {
  readonly counter: bigint;
  readonly now: number;
  readonly device: Eui;
}

/**
 * One alert use case's payload (GBCS.md §6, §7.9, §7.10) as the device's alert bodies see it:
 * the alert code (`0x8F3D`) and the body fields the use case has a place for. A field it has no
 * place for does not travel (a GCA carries the code and a time only).
 */
export interface AlertContent {
  encode(alertCode: number, body: Readonly<Record<string, unknown>>, context: AlertContext): Uint8Array;
  /** `{ alertCode: '0x8F3D', …fields }`; throws GbcsDecodeError. */
  decode(content: Uint8Array, offset: number): Record<string, unknown>;
}

function hashBytes(value: unknown): Uint8Array {
  if (typeof value === 'string' && /^[0-9a-fA-F]{64}$/.test(value))
    return Uint8Array.from(Buffer.from(value, 'hex'));
  if (value instanceof Uint8Array && value.length === 32) return value;
  return new Uint8Array(32);
}

/** GCA 0x1000 (GBCS.md §7.10): a DLMS data-notification of the alert code and the device's time. */
export const gcaContent: AlertContent = {
  encode: (alertCode, _body, { counter, now }) =>
    encodeDlmsAlert({ alertCode, timestamp: dlmsDateTimeFromDate(new Date(now)), extra: [] }, counter),
  decode: (content, offset) => {
    const alert = decodeDlmsAlert(content, offset);
    const at = dlmsDateTimeToDate(alert.timestamp)?.toISOString();
    return { alertCode: formatMessageCode(alert.alertCode), ...(at === undefined ? {} : { raisedAt: at }) };
  },
};

/**
 * FDRA 0x00CE (GBCS.md §7.9): 0x8F72 or 0x8F1C with the manufacturer image hash the device
 * calculated — the image it holds (`heldImageHash` when a named hash differed, else `imageHash`).
 */
export const fdraContent: AlertContent = {
  encode: (alertCode, body, { counter, now }) => {
    if (alertCode !== 0x8f72 && alertCode !== 0x8f1c)
      throw new GbcsEncodeError(`FDRA: alert ${formatMessageCode(alertCode)} is not 0x8F72 or 0x8F1C`);
    return encodeFdra(
      {
        alertCode,
        timestamp: dlmsDateTimeFromDate(new Date(now)),
        imageHash: hashBytes(body.heldImageHash ?? body.imageHash),
      },
      counter,
    );
  },
  decode: (content, offset) => {
    const alert = decodeFdra(content, offset);
    return {
      alertCode: formatMessageCode(alert.alertCode),
      imageHash: Buffer.from(alert.imageHash).toString('hex'),
    };
  },
};

/**
 * CCS08 0x0128 (GBCS.md §7.9): 0x8F8A or 0x8F89, the time, the device the image went to, its
 * firmware version and the transfer response code (trialsim's `transferOutcome`, 0–3). trialsim's
 * transport hands the image to the device itself, which reports the transfer as the hub would.
 */
export const ccs08Content: AlertContent = {
  encode: (alertCode, body, { now, device }) => {
    if (alertCode !== 0x8f8a && alertCode !== 0x8f89)
      throw new GbcsEncodeError(`CCS08: alert ${formatMessageCode(alertCode)} is not 0x8F8A or 0x8F89`);
    const version = typeof body.firmwareVersion === 'string' ? body.firmwareVersion : undefined;
    return encodeCcs08Alert({
      alertCode,
      dateTime: new Date(Math.floor(now / 1000) * 1000),
      entity: device,
      firmwareVersion: version === undefined ? new Uint8Array(4) : firmwareVersionOctets(version),
      responseCode:
        typeof body.transferOutcome === 'number' ? body.transferOutcome : alertCode === 0x8f8a ? 0 : 3,
    });
  },
  decode: (content, offset) => {
    const alert = decodeCcs08Alert(content, offset);
    return {
      alertCode: formatMessageCode(alert.alertCode),
      transferOutcome: alert.responseCode,
      deviceId: alert.entity,
      firmwareVersion: firmwareVersionText(alert.firmwareVersion, 'dotted'),
    };
  },
};

/**
 * 0x00CA (GBCS.md §7.7): a future-dated CS06 ran (0x8F66) or did not (0x8F67): when it was
 * executed, the command's originator counter, and the ExecutionOutcome (response code as CS06's
 * response, and the running version) — the same body the immediate 11.3 response gives.
 */
export const futureDatedActivationContent: AlertContent = {
  encode: (alertCode, body, { now }) => {
    if (alertCode !== 0x8f66 && alertCode !== 0x8f67)
      throw new GbcsEncodeError(`0x00CA: alert ${formatMessageCode(alertCode)} is not 0x8F66 or 0x8F67`);
    const at = typeof body.executionDateTime === 'string' ? Date.parse(body.executionDateTime) : Number.NaN;
    const version = typeof body.firmwareVersion === 'string' ? body.firmwareVersion : '0.0.0';
    return encodeFutureDatedActivationAlert({
      alertCode,
      executionDateTime: new Date(Math.floor((Number.isNaN(at) ? now : at) / 1000) * 1000),
      commandCounter: BigInt(typeof body.commandCounter === 'number' ? body.commandCounter : 0),
      outcome: {
        responseCode: RESPONSE_CODES[String(body.status)] ?? RESPONSE_CODES.activationFailure ?? 3,
        firmwareVersion: firmwareVersionOctets(version),
      },
    });
  },
  decode: (content, offset) => {
    const alert = decodeFutureDatedActivationAlert(content, offset);
    return {
      alertCode: formatMessageCode(alert.alertCode),
      status: STATUS_BY_CODE.get(alert.outcome.responseCode) ?? 'activationFailure',
      firmwareVersion: firmwareVersionText(alert.outcome.firmwareVersion, 'dotted'),
      commandCounter: Number(alert.commandCounter),
      executionDateTime: alert.executionDateTime.toISOString(),
    };
  },
};
