import type { Eui } from '../../../eui.js';
import { euiFromBytes } from '../../../eui.js';
import { eui } from '../../apdu/other-information.js';
import { type AccessResult, decodeDlmsApdu, encodeDlmsApdu, invokeIdFor } from '../dlms/dlms-apdu.js';
import { DlmsShapeReader, expectRequest } from '../dlms/dlms-reading.js';
import {
  bool,
  descriptor,
  enumValue,
  longUnsigned,
  NULL_DATA,
  octets,
  structure,
} from '../dlms/dlms-values.js';

/**
 * CCS01 Add Device to / CCS02 Remove Device from the CHF Device Log (GBCS.md §7.5), class 104
 * (ZigBee network control) 0-0:30.3.0.255. Both go in the ACB form; the invoke-id follows the
 * ACB's counter.
 */
const NETWORK_CONTROL = '0-0:30.3.0.255';

export interface Ccs01Command {
  readonly device: Eui;
  /** GBCS device type integer (1 = ESME, …); UNCONFIRMED that this is the enum's meaning. */
  readonly deviceType: number;
  /** The 16 DUIS InstallCode octets as given. */
  readonly installCode: Uint8Array;
  /** DUIS JoinTimePeriod. */
  readonly joinTimeout: number;
}

export function encodeCcs01Command(request: Ccs01Command, counter: bigint): Uint8Array {
  return encodeDlmsApdu({
    apdu: 'access-request',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: [
      { kind: 'action', descriptor: descriptor(104, NETWORK_CONTROL, 1) },
      { kind: 'set', descriptor: descriptor(104, NETWORK_CONTROL, 3) },
      { kind: 'set', descriptor: descriptor(104, NETWORK_CONTROL, 2) },
    ],
    data: [
      // The last enum is 0 in every example; its meaning is UNCONFIRMED (GBCS.md §11).
      structure(
        octets(eui(request.device)),
        enumValue(request.deviceType),
        octets(request.installCode),
        enumValue(0),
      ),
      longUnsigned(request.joinTimeout),
      bool(true),
    ],
  });
}

export function decodeCcs01Command(content: Uint8Array, contentOffset = 0): Ccs01Command {
  const shape: DlmsShapeReader = new DlmsShapeReader('CCS01', contentOffset);
  const apdu = decodeDlmsApdu(content, contentOffset);
  if (apdu.apdu !== 'access-request' || apdu.data.length !== 3)
    shape.fail('APDU', 'expected an access-request with 3 operations');
  const [device, type, installCode] = shape.elements(
    apdu.data[0],
    'structure',
    4,
    'register device argument',
  );
  const euiBytes = shape.is(device, 'octet-string', 'device EUI').value;
  if (euiBytes.length !== 8) shape.fail('device EUI', `expected 8 bytes, got ${euiBytes.length}`);
  return {
    device: euiFromBytes(euiBytes),
    deviceType: shape.is(type, 'enum', 'device type').value,
    installCode: shape.is(installCode, 'octet-string', 'install code').value,
    joinTimeout: shape.is(apdu.data[1], 'long-unsigned', 'join timeout').value,
  };
}

export function encodeCcs01Response(
  counter: bigint,
  results: readonly [number, number, number] = [0, 0, 0],
): Uint8Array {
  const kinds: AccessResult['kind'][] = ['action', 'set', 'set'];
  return encodeDlmsApdu({
    apdu: 'access-response',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: null,
    data: [NULL_DATA, NULL_DATA, NULL_DATA],
    results: kinds.map((kind, i) => ({ kind, result: results[i] ?? 0 })),
  });
}

export function encodeCcs02Command(command: { readonly device: Eui }, counter: bigint): Uint8Array {
  const { device } = command;
  return encodeDlmsApdu({
    apdu: 'access-request',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: [{ kind: 'action', descriptor: descriptor(104, NETWORK_CONTROL, 2) }],
    data: [octets(eui(device))],
  });
}

export function encodeCcs02Response(counter: bigint, result = 0): Uint8Array {
  return encodeDlmsApdu({
    apdu: 'access-response',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: null,
    data: [NULL_DATA],
    results: [{ kind: 'action', result }],
  });
}

/** The per-operation results of a CCS01 or CCS02 response (0 = success). */
export function decodeCcs01Ccs02Response(content: Uint8Array, contentOffset = 0): readonly number[] {
  const shape = new DlmsShapeReader('CCS01/CCS02', contentOffset);
  const apdu = decodeDlmsApdu(content, contentOffset);
  return shape
    .response(apdu, apdu.apdu === 'access-response' ? apdu.data.length : 0)
    .results.map((r) => r.result);
}

export function decodeCcs02Command(content: Uint8Array, contentOffset = 0): { readonly device: Eui } {
  const shape: DlmsShapeReader = new DlmsShapeReader('CCS02', contentOffset);
  const apdu = expectRequest(shape, decodeDlmsApdu(content, contentOffset), [
    { kind: 'action', descriptor: descriptor(104, NETWORK_CONTROL, 2) },
  ]);
  const bytes = shape.is(apdu.data[0], 'octet-string', 'device EUI').value;
  if (bytes.length !== 8) shape.fail('device EUI', `expected 8 bytes, got ${bytes.length}`);
  return { device: euiFromBytes(bytes) };
}
