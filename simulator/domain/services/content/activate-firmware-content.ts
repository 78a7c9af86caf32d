import { GbcsEncodeError } from '../../gbcs/apdu/gbcs-codec-error.js';
import {
  type Cs06Response,
  decodeCs06Command,
  decodeCs06Response,
  encodeCs06Command,
  encodeCs06Response,
} from '../../gbcs/payloads/asn1/cs06.js';
import { firmwareVersionOctets, firmwareVersionText } from '../../gbcs/payloads/firmware-version.js';
import type { UseCaseContent } from './use-case-content.js';

/** CS06's ExecutionOutcome response codes (GBCS.md §7.7) by trialsim's 11.3 response status. */
export const RESPONSE_CODES: Readonly<Record<string, number>> = {
  success: 0,
  noImageHeld: 1,
  hashMismatch: 2,
  activationFailure: 3,
};
export const STATUS_BY_CODE: ReadonlyMap<number, string> = new Map(
  Object.entries(RESPONSE_CODES).map(([status, code]) => [code, status]),
);

function imageHash(value: unknown): Uint8Array {
  if (value instanceof Uint8Array && value.length === 32) return value;
  if (typeof value === 'string' && /^[0-9a-fA-F]{64}$/.test(value))
    return Uint8Array.from(Buffer.from(value, 'hex'));
  throw new GbcsEncodeError('11.3 names no 32-byte imageHash');
}

function executionDate(value: unknown): Date | undefined {
  if (value === undefined) return undefined;
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at))
    throw new GbcsEncodeError(`11.3 executionDateTime "${String(value)}" is not a date-time`);
  return new Date(at);
}

/**
 * 11.3's payload, CS06 Activate Firmware (GBCS.md §7.7): the manufacturer image hash, the
 * originator counter and, future-dated, the execution time (a cancellation at 99991231235959Z).
 * The response: the ExecutionOutcome (0 success, 1 noImageHeld, 2 hashMismatch, 3
 * activationFailure — any other failure of trialsim's device, such as cancelling an activation it
 * does not hold, travels as 3) with the running version; NULL for a future-dated command accepted,
 * which the DCC answers with the execution time the User asked for.
 */
export const cs06Content: UseCaseContent = {
  encodeCommand: (body, { counter }) => {
    const when = executionDate(body.executionDateTime);
    return encodeCs06Command(
      { imageHash: imageHash(body.imageHash), ...(when === undefined ? {} : { executionDateTime: when }) },
      counter,
    );
  },
  decodeCommand: (content, offset) => {
    const command = decodeCs06Command(content, offset);
    return {
      imageHash: command.imageHash,
      ...(command.executionDateTime === undefined
        ? {}
        : { executionDateTime: command.executionDateTime.toISOString() }),
    };
  },
  encodeResponse: (body) => {
    const response: Cs06Response =
      body.status === 'commandAccepted'
        ? { kind: 'accepted' }
        : {
            kind: 'executed',
            responseCode: RESPONSE_CODES[String(body.status)] ?? RESPONSE_CODES.activationFailure ?? 3,
            firmwareVersion: firmwareVersionOctets(String(body.firmwareVersion ?? '0.0.0')),
          };
    return encodeCs06Response(response);
  },
  decodeResponse: (content, offset, request) => {
    const response = decodeCs06Response(content, offset);
    if (response.kind === 'accepted') {
      const when = request === undefined ? undefined : executionDate(request.executionDateTime);
      return {
        status: 'commandAccepted',
        ...(when === undefined ? {} : { executionDateTime: when.toISOString() }),
      };
    }
    return {
      status: STATUS_BY_CODE.get(response.responseCode) ?? 'activationFailure',
      firmwareVersion: firmwareVersionText(response.firmwareVersion, 'dotted'),
    };
  },
};
