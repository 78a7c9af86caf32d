import type { Eui } from '../../eui.js';
import type { GbcsMessage } from '../apdu/gbcs-message.js';
import type { GbcsKeyStore } from '../keystore/gbcs-keystore.js';
import { decodeDlmsAlert, decodeFdra } from '../payloads/alerts/dlms-alerts.js';
import { decodeCcs08Alert } from '../payloads/asn1/ccs08.js';
import {
  decodeCs02bCommand,
  decodeCs02bResponse,
  decodeFutureDatedCredentialsAlert,
} from '../payloads/asn1/cs02b.js';
import {
  decodeCs06Command,
  decodeCs06Response,
  decodeFutureDatedActivationAlert,
} from '../payloads/asn1/cs06.js';
import { decodeCs07Response, decodeCs08Response, decodeNullCommand } from '../payloads/asn1/cs07-cs08.js';
import {
  decodeCcs01Ccs02Response,
  decodeCcs01Command,
  decodeCcs02Command,
} from '../payloads/chf/ccs01-ccs02.js';
import { decodeCcs06Command, decodeCcs06Response } from '../payloads/chf/ccs06.js';
import { decodeDlmsApdu } from '../payloads/dlms/dlms-apdu.js';
import { decodeEcs17bCommand, decodeEcs17bResponse } from '../payloads/esme/ecs17b.js';
import { decodeEcs35Command, decodeEcs35Response } from '../payloads/esme/ecs35.js';
import { decodeEcs52Command, decodeEcs52Response } from '../payloads/esme/ecs52.js';
import { decodeEcs70Command, decodeEcs70Response } from '../payloads/esme/ecs70.js';
import { ecdhSharedSecret } from '../protection/ecdh-shared-secret.js';
import { dlmsApduJson, type JsonValue, toJsonValue } from './json-view.js';

/**
 * The payload of a decoded message as JSON for the decoder: its encoding, the generic DLMS
 * structure where it is DLMS, and the use case's own fields where trialsim has a codec for them.
 * Throws GbcsDecodeError when the payload is malformed.
 */
type Reader = (content: Uint8Array, offset: number, context: ReaderContext) => unknown;
interface ReaderContext {
  readonly message: GbcsMessage;
  readonly keys: GbcsKeyStore | undefined;
}

// Maps, not object literals, so the message codes stay written in hex as GBCS.md writes them.
const COMMAND_READERS = new Map<number, Reader>([
  [0x0059, decodeEcs52Command],
  [0x0062, decodeEcs70Command],
  [0x0048, decodeEcs35Command],
  [0x0049, decodeEcs35Command],
  [0x0027, decodeEcs17bCommand],
  [0x0001, decodeCcs01Command],
  [0x0002, decodeCcs02Command],
  [0x010f, decodeCcs06Command],
  [0x0012, decodeCs06Command],
  [0x0013, (c, o) => decodeNullCommand('CS07', c, o)],
  [0x0129, (c, o) => decodeNullCommand('CS08', c, o)],
  [0x0102, decodeCs02bCommand],
  [0x0103, decodeCs02bCommand],
  [0x0107, decodeCs02bCommand],
]);

const RESPONSE_READERS = new Map<number, Reader>([
  [0x0059, decodeEcs52Response],
  [0x0062, decodeEcs70Response],
  [0x0048, decodeEcs35Response],
  [0x0049, decodeEcs35Response],
  [0x0027, (c, o, ctx) => decodeEcs17bResponse(c, o, ecs17bSecret(ctx))],
  [0x0001, decodeCcs01Ccs02Response],
  [0x0002, decodeCcs01Ccs02Response],
  [0x010f, decodeCcs06Response],
  [0x0012, decodeCs06Response],
  [0x0013, decodeCs07Response],
  [0x0129, decodeCs08Response],
  [0x0102, decodeCs02bResponse],
  [0x0103, decodeCs02bResponse],
  [0x0107, decodeCs02bResponse],
]);

const ALERT_READERS = new Map<number, Reader>([
  [0x1000, decodeDlmsAlert],
  [0x1001, decodeDlmsAlert],
  [0x00ce, decodeFdra],
  [0x00ca, decodeFutureDatedActivationAlert],
  [0x00cb, decodeFutureDatedCredentialsAlert],
  [0x0128, decodeCcs08Alert],
]);

export function payloadView(message: GbcsMessage, keys?: GbcsKeyStore): { [key: string]: JsonValue } {
  const { content, cra, otherInformation } = message.apdu;
  const offset = message.contentOffset;
  const first = content[0];
  const encoding =
    first === 0xd9 || first === 0xda || first === 0x0f
      ? 'dlms'
      : first === 0x01 && content[1] === 0x09
        ? 'gbz'
        : 'asn1';
  const view: { [key: string]: JsonValue } = { encoding };
  // trialsim's own content profile (simulator/PROTOCOL.md §5): a CBOR map (major type 5), which
  // no DLMS or DER payload starts with; or a trialsim private message code (0xFF01…).
  if (
    (first !== undefined && first >= 0xa0 && first <= 0xbf) ||
    (otherInformation.messageCode & 0xff00) === 0xff00
  ) {
    view.encoding = 'trialsim-cbor';
    view.hex = toJsonValue(content);
    view.note =
      'trialsim-profile content (the body as CBOR, simulator/PROTOCOL.md §5): GBCS header and protection, not a GBCS payload';
    return view;
  }
  if (encoding === 'gbz') {
    view.hex = toJsonValue(content);
    view.note = 'GBZ/ZCL (gas) payloads are not decoded: outside the GBCS notes trialsim follows';
    return view;
  }
  if (encoding === 'dlms') view.dlms = dlmsApduJson(decodeDlmsApdu(content, offset));
  const readers = cra === 'command' ? COMMAND_READERS : cra === 'response' ? RESPONSE_READERS : ALERT_READERS;
  const reader = readers.get(otherInformation.messageCode);
  if (reader !== undefined) {
    view.fields = toJsonValue(reader(content, offset, { message, keys }));
  } else if (encoding === 'asn1') {
    view.hex = toJsonValue(content);
  }
  return view;
}

/** Z for ECS17b decryption: the ESME's and the requester's KA keys, either private key will do. */
function ecs17bSecret(context: ReaderContext): Uint8Array | undefined {
  const { keys, message } = context;
  if (keys === undefined) return undefined;
  const esme = keys.find(message.apdu.originator as Eui, 'ka');
  const requester = keys.find(message.apdu.recipient as Eui, 'ka');
  if (esme === undefined || requester === undefined) return undefined;
  if (esme.privateKey) return ecdhSharedSecret(esme.privateKey, requester.publicKey);
  if (requester.privateKey) return ecdhSharedSecret(requester.privateKey, esme.publicKey);
  return undefined;
}
