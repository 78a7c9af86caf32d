import type { Eui } from '../../../eui.js';
import { euiFromBytes } from '../../../eui.js';
import { ByteReader } from '../../apdu/byte-reader.js';
import { encodeTransactionId } from '../../apdu/general-signing.js';
import { eui } from '../../apdu/other-information.js';
import {
  decryptProtectedAttributes,
  encryptProtectedAttributes,
} from '../../protection/payload-encryption.js';
import { decodeDlmsApdu, encodeDlmsApdu, invokeIdFor } from '../dlms/dlms-apdu.js';
import { type DlmsData, encodeDlmsData, readDlmsData } from '../dlms/dlms-data.js';
import { DlmsShapeReader, expectRequest } from '../dlms/dlms-reading.js';
import {
  array,
  descriptor,
  enumValue,
  integer,
  longUnsigned,
  NULL_DATA,
  obis,
  octets,
  structure,
} from '../dlms/dlms-values.js';

/**
 * ECS17b Read ESME Energy Registers (Import Energy), GBCS.md §7.2 and §4.3: a DLMS Data
 * Protection (class 30) get_protected_attributes on 0-0:43.2.8.255, asking for authenticated and
 * encrypted attributes; the response carries the register values encrypted. What each register
 * means in GBCS terms is UNCONFIRMED, so the registers travel as DLMS Data in the RTDS structure
 * (structure(1){structure(n){value, {scaler, unit}, …}}).
 */
const DATA_PROTECTION = descriptor(30, '0-0:43.2.8.255', 1);
const REGISTER_OBJECT = obis('0-0:94.44.34.10');
const PROTECTION_AUTHENTICATED_ENCRYPTED = 2;
const KEY_INFO_AGREED_KEY = 2;
const KEY_PARAMETERS_C_0E_2S = Uint8Array.of(0x02);

function protectionParameters(counter: bigint, originator: Eui, recipient: Eui): DlmsData {
  return array(
    structure(
      enumValue(PROTECTION_AUTHENTICATED_ENCRYPTED),
      structure(
        // The transaction-id of the protection parameters: 04 ‖ counter (no 09 length here).
        octets(encodeTransactionId(4, counter).subarray(1)),
        octets(eui(originator)),
        octets(eui(recipient)),
        octets(new Uint8Array(0)),
        structure(
          enumValue(KEY_INFO_AGREED_KEY),
          structure(octets(KEY_PARAMETERS_C_0E_2S), octets(new Uint8Array(0))),
        ),
      ),
    ),
  );
}

/** The command: `requester` is the User (the header originator), `esme` the recipient. */
export interface Ecs17bCommand {
  /** The User asking (the header originator). */
  readonly requester: Eui;
  readonly esme: Eui;
}

export function encodeEcs17bCommand(command: Ecs17bCommand, counter: bigint): Uint8Array {
  const { requester, esme } = command;
  return encodeDlmsApdu({
    apdu: 'access-request',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: [{ kind: 'action', descriptor: DATA_PROTECTION }],
    data: [
      structure(
        array(
          structure(
            longUnsigned(1),
            octets(Uint8Array.from(REGISTER_OBJECT)),
            integer(2),
            longUnsigned(0),
            structure(enumValue(0), NULL_DATA),
          ),
        ),
        protectionParameters(counter, requester, esme),
      ),
    ],
  });
}

/**
 * The response: `registers` encrypted under Z = ECDH(ESME KA, requester KA). The device's
 * header time goes in the general-signing date-time, not here.
 */
export function encodeEcs17bResponse(
  response: Ecs17bCommand & { readonly registers: DlmsData },
  counter: bigint,
  sharedSecret: Uint8Array,
): Uint8Array {
  const { esme, requester, registers } = response;
  const protectedAttributes = encryptProtectedAttributes(encodeDlmsData(registers), sharedSecret, {
    device: esme,
    remoteParty: requester,
    counter,
  });
  return encodeDlmsApdu({
    apdu: 'access-response',
    invokeId: invokeIdFor(counter),
    dateTime: null,
    specifications: null,
    data: [structure(protectionParameters(counter, esme, requester), octets(protectedAttributes))],
    results: [{ kind: 'action', result: 0 }],
  });
}

export interface Ecs17bResponse {
  readonly device: Eui;
  readonly remoteParty: Eui;
  readonly counter: bigint;
  readonly protectedAttributes: Uint8Array;
  /** Decrypted registers, or null when the tag does not verify under the given Z. */
  readonly registers: DlmsData | null;
}

/** Reads the response; with `sharedSecret` (ECDH of the ESME and requester KA keys) it decrypts too. */
export function decodeEcs17bResponse(
  content: Uint8Array,
  contentOffset = 0,
  sharedSecret?: Uint8Array,
): Ecs17bResponse {
  const shape: DlmsShapeReader = new DlmsShapeReader('ECS17b', contentOffset);
  const apdu = shape.response(decodeDlmsApdu(content, contentOffset), 1);
  const [parameters, attributes] = shape.elements(
    apdu.data[0],
    'structure',
    2,
    'get_protected_attributes result',
  );
  const [entry] = shape.elements(parameters, 'array', 1, 'protection parameters');
  const [, options] = shape.elements(entry, 'structure', 2, 'protection parameters element');
  const [transactionId, originator, recipient] = shape.elements(
    options,
    'structure',
    5,
    'protection options',
  );
  const tid = shape.is(transactionId, 'octet-string', 'transaction-id').value;
  const from = shape.is(originator, 'octet-string', 'originator').value;
  const to = shape.is(recipient, 'octet-string', 'recipient').value;
  if (tid.length !== 9 || tid[0] !== 4 || from.length !== 8 || to.length !== 8) {
    shape.fail(
      'protection options',
      'expected transaction-id 04 ‖ counter (9 bytes) and two 8-byte system titles',
    );
  }
  const counter = Buffer.from(tid.subarray(1)).readBigUInt64BE();
  const protectedAttributes = shape.is(attributes, 'octet-string', 'protected attributes').value;
  const context = { device: euiFromBytes(from), remoteParty: euiFromBytes(to), counter };
  let registers: DlmsData | null = null;
  if (sharedSecret !== undefined) {
    const plaintext = decryptProtectedAttributes(protectedAttributes, sharedSecret, context, contentOffset);
    if (plaintext !== null) {
      const reader: ByteReader = new ByteReader(plaintext, contentOffset);
      registers = readDlmsData(reader, 'decrypted registers');
      reader.end('decrypted registers');
    }
  }
  return { ...context, protectedAttributes, registers };
}

/** The requester and ESME named in the command's protection parameters. */
export function decodeEcs17bCommand(content: Uint8Array, contentOffset = 0): Ecs17bCommand {
  const shape: DlmsShapeReader = new DlmsShapeReader('ECS17b', contentOffset);
  const apdu = expectRequest(shape, decodeDlmsApdu(content, contentOffset), [
    { kind: 'action', descriptor: DATA_PROTECTION },
  ]);
  const [, parameters] = shape.elements(apdu.data[0], 'structure', 2, 'get_protected_attributes argument');
  const [entry] = shape.elements(parameters, 'array', 1, 'protection parameters');
  const [, options] = shape.elements(entry, 'structure', 2, 'protection parameters element');
  const [, originator, recipient] = shape.elements(options, 'structure', 5, 'protection options');
  const from = shape.is(originator, 'octet-string', 'originator').value;
  const to = shape.is(recipient, 'octet-string', 'recipient').value;
  if (from.length !== 8 || to.length !== 8) shape.fail('protection options', 'system titles must be 8 bytes');
  return { requester: euiFromBytes(from), esme: euiFromBytes(to) };
}
