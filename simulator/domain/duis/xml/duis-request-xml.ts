import type { ServiceRequest } from '../../messages/duis-messages.js';
import { lookupSrv } from '../srv-catalogue.js';
import { BODY_CODECS, type EncodeContext } from './duis-request-bodies.js';
import {
  childElements,
  type DomDocument,
  type DomElement,
  DuisXmlError,
  requiredChild,
  requiredText,
  SR_NS,
  sr,
  srRoot,
} from './duis-xml.js';

/** CV 5 (and 6, 7): the signed pre-command's GBCS payload ends in `40 ‖ r‖s` (GBCS.md §5.6). */
const SIGNATURE_TAG = 0x40;
const SIGNATURE_LENGTH = 64;

/** The DUIS header fields trialsim keeps beside the request it hands the DCC. */
export interface DuisRequestHeader {
  readonly schemaVersion: string;
  readonly requestId: string;
  readonly commandVariant: number;
  readonly serviceReference: string;
  readonly serviceReferenceVariant: string;
}

export interface DecodedDuisRequest {
  readonly header: DuisRequestHeader;
  readonly request: ServiceRequest;
}

/** DUIS.md §2.2: ServiceReference is the variant except for these. */
const SERVICE_REFERENCES: Readonly<Record<string, string>> = {
  '8.1.1': '8.1',
  '4.1.1': '4.1',
  '6.15.1': '6.15',
  '8.14.1': '8.14',
  '8.14.2': '8.14',
  '8.14.3': '8.14',
  '8.14.4': '8.14',
};

export function serviceReferenceOf(srv: string): string {
  return SERVICE_REFERENCES[srv] ?? srv;
}

/** The header of a DUIS request, read as far as it goes (a refusal can then name the RequestID). */
export function readRequestHeader(doc: DomDocument): DuisRequestHeader {
  const root = doc.documentElement;
  if (root === null || root.namespaceURI !== SR_NS || root.localName !== 'Request')
    throw new DuisXmlError(`the root element must be sr:Request, not ${root?.nodeName ?? 'nothing'}`);
  const header = requiredChild(root, 'Header');
  const requestId = requiredText(header, 'RequestID');
  return {
    schemaVersion: root.getAttribute('schemaVersion') ?? '',
    requestId,
    commandVariant: Number(requiredText(header, 'CommandVariant')),
    serviceReference: requiredText(header, 'ServiceReference'),
    serviceReferenceVariant: requiredText(header, 'ServiceReferenceVariant'),
  };
}

/**
 * A DUIS request (already XSD-valid) as the request trialsim's DCC handles. A body trialsim
 * has no codec for passes empty, so the DCC's own rules (E12 TRIALSIM-NOT-IMPLEMENTED, E12 for
 * a wrong CV) decide it as they decide any other request.
 */
export function decodeDuisRequest(doc: DomDocument): DecodedDuisRequest {
  const header = readRequestHeader(doc);
  const root = doc.documentElement as DomElement;
  const bodyElement = childElements(requiredChild(root, 'Body'))[0];
  const srv = header.serviceReferenceVariant;
  const base = {
    requestId: header.requestId,
    commandVariant: header.commandVariant,
    serviceReference: header.serviceReference,
    serviceReferenceVariant: srv,
  };
  try {
    if (bodyElement?.localName === 'SignedPreCommand') {
      const payload = Buffer.from(requiredText(bodyElement, 'GBCSPayload').replace(/\s+/g, ''), 'base64');
      const split = payload.length - SIGNATURE_LENGTH - 1;
      if (split < 1 || payload[split] !== SIGNATURE_TAG)
        throw new DuisXmlError(
          `SignedPreCommand's GBCSPayload does not end in 40 ‖ a 64-byte signature`,
          header.requestId,
        );
      return {
        header,
        request: {
          ...base,
          body: {},
          preCommand: new Uint8Array(payload.subarray(0, split)),
          signature: new Uint8Array(payload.subarray(split + 1)),
        },
      };
    }
    const codec = BODY_CODECS[srv];
    const body = codec === undefined || bodyElement === undefined ? {} : codec.decode(bodyElement);
    return { header, request: { ...base, body } };
  } catch (err) {
    if (err instanceof DuisXmlError && err.requestId === undefined) {
      throw new (err.constructor as typeof DuisXmlError)(err.message, header.requestId);
    }
    throw err;
  }
}

/** A DUIS request from trialsim's request: how a DUIS-speaking User agent writes what it sends. */
export function encodeDuisRequest(request: ServiceRequest, context: EncodeContext): string {
  const srv = request.serviceReferenceVariant;
  let body: string;
  if (request.preCommand !== undefined && request.signature !== undefined) {
    const payload = Buffer.concat([request.preCommand, Buffer.from([SIGNATURE_TAG]), request.signature]);
    body = sr('SignedPreCommand', [sr('GBCSPayload', payload.toString('base64'))]);
  } else {
    const codec = BODY_CODECS[srv];
    if (codec !== undefined) body = codec.encode(request.body ?? {}, context);
    // An SRV of DCC.md §2 has a DUIS body; sending it without one would hide what trialsim lacks.
    else if (lookupSrv(srv) !== undefined) throw new DuisXmlError(`trialsim has no DUIS body for SRV ${srv}`);
    // An SRV no one defines has no body to write: it goes as it is, and the DCC's schema check
    // refuses it (E12), as the real DCC's would.
    else body = '';
  }
  return srRoot('Request', [
    sr('Header', [
      sr('RequestID', request.requestId),
      sr('CommandVariant', request.commandVariant),
      sr('ServiceReference', serviceReferenceOf(srv)),
      sr('ServiceReferenceVariant', srv),
    ]),
    sr('Body', [body]),
  ]);
}
