import type { ContentCodec } from '../../../ports/content-codec.js';
import { cs06Content } from './activate-firmware-content.js';
import {
  type AlertContent,
  type AlertContext,
  ccs08Content,
  fdraContent,
  futureDatedActivationContent,
  gcaContent,
} from './alert-content.js';
import { ecs70Content } from './commission-device-content.js';
import { futureDatedCredentialsContent } from './future-dated-credentials-alert-content.js';
import { ccs01Content, ccs02Content, ccs06Content } from './han-device-log-content.js';
import { cs07Content } from './read-device-log-content.js';
import { cs08Content, ecs52Content } from './read-firmware-version-content.js';
import { ecs17bContent } from './read-import-registers-content.js';
import { ecs35aContent, ecs35bContent } from './read-log-content.js';
import { cs02bContent } from './update-security-credentials-content.js';
import type { ContentContext, UseCaseContent } from './use-case-content.js';

/**
 * The content field of a device message, by its GBCS message code: the use case's GBCS payload
 * where one is written here (use-case-content.ts), else the body as trialsim's CBOR map
 * (`fallback`, simulator/PROTOCOL.md §5). Both ends pick the form from the header's message code
 * alone, so they always agree.
 */
// One line per use case (the content lives in this folder, one file per service); a Map so
// the codes stay written in hex as GBCS.md writes them.
const CONTENT_BY_CODE: ReadonlyMap<number, UseCaseContent> = new Map([
  [0x0059, ecs52Content],
  [0x0129, cs08Content],
  [0x0062, ecs70Content],
  [0x0027, ecs17bContent],
  [0x0048, ecs35aContent],
  [0x0049, ecs35bContent],
  [0x0001, ccs01Content],
  [0x0002, ccs02Content],
  [0x010f, ccs06Content],
  [0x0013, cs07Content],
  [0x0012, cs06Content],
  // CS02b carries SMKI certificates whole: the User's replacement certificates (6.15.1, in the
  // two modes trialsim maps) and the gaining supplier's (6.23, from the CoS party).
  [0x0102, cs02bContent(0x0102)],
  [0x0103, cs02bContent(0x0103)],
  [0x0107, cs02bContent(0x0107)],
]);

/** The GBCS payload form of a message code; undefined: the content is on trialsim's profile. */
export function gbcsContentFor(messageCode: number): UseCaseContent | undefined {
  return CONTENT_BY_CODE.get(messageCode);
}

export function writeCommandContent(
  messageCode: number,
  body: Readonly<Record<string, unknown>>,
  context: ContentContext,
  fallback: ContentCodec,
): Uint8Array {
  return gbcsContentFor(messageCode)?.encodeCommand(body, context) ?? fallback.encodeBody(body);
}

/** Throws (GbcsDecodeError, or the fallback's error) on content that is not this use case's. */
export function readCommandContent(
  messageCode: number,
  content: Uint8Array,
  offset: number,
  fallback: ContentCodec,
): Record<string, unknown> {
  const form = gbcsContentFor(messageCode);
  return form === undefined ? fallback.decodeBody(content) : form.decodeCommand(content, offset);
}

export function writeResponseContent(
  messageCode: number,
  body: Readonly<Record<string, unknown>>,
  context: ContentContext,
  fallback: ContentCodec,
): Uint8Array {
  return gbcsContentFor(messageCode)?.encodeResponse(body, context) ?? fallback.encodeBody(body);
}

export function readResponseContent(
  messageCode: number,
  content: Uint8Array,
  offset: number,
  fallback: ContentCodec,
  request?: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const form = gbcsContentFor(messageCode);
  return form === undefined ? fallback.decodeBody(content) : form.decodeResponse(content, offset, request);
}

/**
 * Alert use cases whose GBCS payload trialsim writes, by wrapper message code. GNCA 0x1001 (its
 * 0x8F43 and 0x8F70 bodies carry what the DCC reads) stays on trialsim's profile.
 */
const ALERT_CONTENT_BY_CODE: ReadonlyMap<number, AlertContent> = new Map([
  [0x1000, gcaContent],
  [0x00ce, fdraContent],
  [0x0128, ccs08Content],
  [0x00ca, futureDatedActivationContent],
  [0x00cb, futureDatedCredentialsContent],
]);

export function gbcsAlertContentFor(wrapperCode: number): AlertContent | undefined {
  return ALERT_CONTENT_BY_CODE.get(wrapperCode);
}

/** An alert's content: the wrapper's GBCS payload, or `{ alertCode, …body }` as CBOR. */
export function writeAlertContent(
  wrapperCode: number,
  alertCode: string,
  body: Readonly<Record<string, unknown>>,
  context: AlertContext,
  fallback: ContentCodec,
): Uint8Array {
  const form = ALERT_CONTENT_BY_CODE.get(wrapperCode);
  return form === undefined
    ? fallback.encodeBody({ alertCode, ...body })
    : form.encode(Number.parseInt(alertCode, 16), body, context);
}

/** `{ alertCode: '0x8F3D', …fields }`; throws on content that is not the wrapper's. */
export function readAlertContent(
  wrapperCode: number,
  content: Uint8Array,
  offset: number,
  fallback: ContentCodec,
): Record<string, unknown> {
  const form = ALERT_CONTENT_BY_CODE.get(wrapperCode);
  return form === undefined ? fallback.decodeBody(content) : form.decode(content, offset);
}
