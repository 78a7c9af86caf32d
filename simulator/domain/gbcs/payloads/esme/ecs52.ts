import { decodeDlmsApdu, encodeDlmsApdu, invokeIdFor } from '../dlms/dlms-apdu.js';
import { DlmsShapeReader, expectRequest } from '../dlms/dlms-reading.js';
import { descriptor, NULL_DATA, octets } from '../dlms/dlms-values.js';

/**
 * ECS52 Read ESME/Comms Hub Firmware Version (GBCS.md §7.1): get class 1 (Data)
 * 0-0:0.2.1.255 attribute 2; the response is the running version as raw octets.
 */
const FIRMWARE_VERSION = descriptor(1, '0-0:0.2.1.255', 2);

export function encodeEcs52Command(counter: bigint): Uint8Array {
  return encodeDlmsApdu({
    apdu: 'access-request',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: [{ kind: 'get', descriptor: FIRMWARE_VERSION }],
    data: [NULL_DATA],
  });
}

export function encodeEcs52Response(
  response: { readonly firmwareVersion: Uint8Array },
  counter: bigint,
): Uint8Array {
  return encodeDlmsApdu({
    apdu: 'access-response',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: null,
    data: [octets(response.firmwareVersion)],
    results: [{ kind: 'get', result: 0 }],
  });
}

export interface Ecs52Response {
  readonly firmwareVersion: Uint8Array | null;
  /** 0 success; otherwise the DLMS data-access-result. */
  readonly result: number;
}

export function decodeEcs52Response(content: Uint8Array, contentOffset = 0): Ecs52Response {
  const shape: DlmsShapeReader = new DlmsShapeReader('ECS52', contentOffset);
  const apdu = shape.response(decodeDlmsApdu(content, contentOffset), 1);
  const result = apdu.results[0]?.result ?? shape.fail('results', 'no result');
  if (result !== 0) return { firmwareVersion: null, result };
  return { firmwareVersion: shape.is(apdu.data[0], 'octet-string', 'firmware version').value, result };
}

/** Checks the command is exactly ECS52's get; it carries no other fields. */
export function decodeEcs52Command(content: Uint8Array, contentOffset = 0): Record<string, never> {
  const shape = new DlmsShapeReader('ECS52', contentOffset);
  expectRequest(shape, decodeDlmsApdu(content, contentOffset), [
    { kind: 'get', descriptor: FIRMWARE_VERSION },
  ]);
  return {};
}
