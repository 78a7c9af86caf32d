import {
  decodeCs08Response,
  decodeNullCommand,
  encodeCs08Response,
  encodeNullCommand,
} from '../../gbcs/payloads/asn1/cs07-cs08.js';
import {
  decodeEcs52Command,
  decodeEcs52Response,
  encodeEcs52Command,
  encodeEcs52Response,
} from '../../gbcs/payloads/esme/ecs52.js';
import { firmwareVersionOctets, firmwareVersionText } from '../../gbcs/payloads/firmware-version.js';
import { dlmsFailureResponse, succeeded, type UseCaseContent } from './use-case-content.js';

/**
 * 11.2's payloads. ECS52 (GBCS.md §7.1): a bare DLMS get; the response carries the running
 * version as 4 octets, to which trialsim's dotted versions map one part per octet
 * (payloads/firmware-version.ts). The body: `{}` → `{ status, firmwareVersion }`.
 */
export const ecs52Content: UseCaseContent = {
  encodeCommand: (_body, { counter }) => encodeEcs52Command(counter),
  decodeCommand: (content, offset) => decodeEcs52Command(content, offset),
  encodeResponse: (body, { counter }) =>
    succeeded(body)
      ? encodeEcs52Response({ firmwareVersion: firmwareVersionOctets(String(body.firmwareVersion)) }, counter)
      : dlmsFailureResponse(['get'], counter),
  decodeResponse: (content, offset) => {
    const { firmwareVersion, result } = decodeEcs52Response(content, offset);
    return firmwareVersion === null
      ? { status: 'failure', result }
      : { status: 'success', firmwareVersion: firmwareVersionText(firmwareVersion, 'dotted') };
  },
};

/** CS08 (PPMID, HCALCS): an ASN.1 NULL command; the response is the version and a response code. */
export const cs08Content: UseCaseContent = {
  encodeCommand: () => encodeNullCommand(),
  decodeCommand: (content, offset) => decodeNullCommand('CS08', content, offset),
  encodeResponse: (body) =>
    encodeCs08Response(
      succeeded(body)
        ? { firmwareVersion: firmwareVersionOctets(String(body.firmwareVersion)), responseCode: 0 }
        : { firmwareVersion: new Uint8Array(4), responseCode: 1 },
    ),
  decodeResponse: (content, offset) => {
    const { firmwareVersion, responseCode } = decodeCs08Response(content, offset);
    return responseCode === 0
      ? { status: 'success', firmwareVersion: firmwareVersionText(firmwareVersion, 'dotted') }
      : { status: 'failure', responseCode };
  },
};
