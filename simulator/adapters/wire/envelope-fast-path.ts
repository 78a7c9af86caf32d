import { RESPONSE_CODES } from '../../domain/duis/response-codes.js';
import type { ServiceRequest, ServiceResponse } from '../../domain/messages/duis-messages.js';

/**
 * The envelope schema's answer for the messages nearly every SR carries — a service request or
 * response whose members all have the plain types the schema wants — checked by hand. Why: zod
 * cost ~1 µs of an envelope's ~3 µs, as much as the CBOR decoding (#21). Anything else (a DCC
 * alert, an unexpected or odd member, a value of another type) gets `undefined`, and zod decides,
 * with its message naming the field. The message is rebuilt in the schema's member order, as zod
 * builds it, so whatever writes it out later (a trace) writes the same bytes.
 * envelope-fast-path.test.ts checks it against zod for valid and near-valid envelopes.
 */

const RESPONSE_CODE_SET: ReadonlySet<unknown> = new Set(RESPONSE_CODES);
const SERVICE_REFERENCE = /^\d+(\.\d+)?$/;
const SERVICE_REFERENCE_VARIANT = /^\d+(\.\d+){1,2}$/;
const REQUEST_MEMBERS: ReadonlySet<string> = new Set([
  'requestId',
  'commandVariant',
  'serviceReference',
  'serviceReferenceVariant',
  'body',
  'preCommand',
  'signature',
]);
const RESPONSE_MEMBERS: ReadonlySet<string> = new Set([
  'responseId',
  'requestId',
  'serviceReferenceVariant',
  'responseCode',
  'rule',
  'reason',
  'body',
  'preCommand',
  'gbcsPayload',
]);

export type FastEnvelope =
  | { readonly kind: 'serviceRequest'; readonly message: ServiceRequest }
  | { readonly kind: 'serviceResponse'; readonly message: ServiceResponse };

/** What the envelope schema would give for `value`, or undefined when zod must decide. */
export function parseCommonEnvelope(value: unknown): FastEnvelope | undefined {
  if (!isPlainObject(value) || !hasOnlyMembers(value, ENVELOPE_MEMBERS) || value.v !== 1) return undefined;
  const message = value.message;
  if (!isPlainObject(message)) return undefined;
  if (value.kind === 'serviceRequest') {
    const request = serviceRequest(message);
    return request === undefined ? undefined : { kind: 'serviceRequest', message: request };
  }
  if (value.kind === 'serviceResponse') {
    const response = serviceResponse(message);
    return response === undefined ? undefined : { kind: 'serviceResponse', message: response };
  }
  return undefined;
}

const ENVELOPE_MEMBERS: ReadonlySet<string> = new Set(['v', 'kind', 'message']);

function serviceRequest(m: Record<string, unknown>): ServiceRequest | undefined {
  const {
    requestId,
    commandVariant,
    serviceReference,
    serviceReferenceVariant,
    body,
    preCommand,
    signature,
  } = m;
  if (!hasOnlyMembers(m, REQUEST_MEMBERS)) return undefined;
  if (typeof requestId !== 'string' || requestId.length > 80) return undefined;
  if (typeof commandVariant !== 'number' || !Number.isInteger(commandVariant)) return undefined;
  if (commandVariant < 1 || commandVariant > 8) return undefined;
  if (typeof serviceReference !== 'string' || !SERVICE_REFERENCE.test(serviceReference)) return undefined;
  if (
    typeof serviceReferenceVariant !== 'string' ||
    !SERVICE_REFERENCE_VARIANT.test(serviceReferenceVariant)
  ) {
    return undefined;
  }
  if (!(absent(m, 'body') || isPlainRecord(body))) return undefined;
  if (!(absent(m, 'preCommand') || preCommand instanceof Uint8Array)) return undefined;
  if (!(absent(m, 'signature') || signature instanceof Uint8Array)) return undefined;
  return {
    requestId,
    commandVariant,
    serviceReference,
    serviceReferenceVariant,
    body: (body as Record<string, unknown> | undefined) ?? {}, // the schema's default
    ...(preCommand === undefined ? {} : { preCommand: preCommand as Uint8Array }),
    ...(signature === undefined ? {} : { signature: signature as Uint8Array }),
  };
}

function serviceResponse(m: Record<string, unknown>): ServiceResponse | undefined {
  const { responseId, requestId, serviceReferenceVariant, responseCode, rule, reason, body } = m;
  const { preCommand, gbcsPayload } = m;
  if (!hasOnlyMembers(m, RESPONSE_MEMBERS)) return undefined;
  if (typeof responseId !== 'string' || typeof requestId !== 'string') return undefined;
  if (typeof serviceReferenceVariant !== 'string' || !RESPONSE_CODE_SET.has(responseCode)) return undefined;
  if (!(absent(m, 'rule') || typeof rule === 'string')) return undefined;
  if (!(absent(m, 'reason') || typeof reason === 'string')) return undefined;
  if (!(absent(m, 'body') || isPlainRecord(body))) return undefined;
  if (!(absent(m, 'preCommand') || preCommand instanceof Uint8Array)) return undefined;
  if (!(absent(m, 'gbcsPayload') || gbcsPayload instanceof Uint8Array)) return undefined;
  return {
    responseId,
    requestId,
    serviceReferenceVariant,
    responseCode: responseCode as ServiceResponse['responseCode'],
    ...(rule === undefined ? {} : { rule: rule as string }),
    ...(reason === undefined ? {} : { reason: reason as string }),
    ...(body === undefined ? {} : { body: body as Record<string, unknown> }),
    ...(preCommand === undefined ? {} : { preCommand: preCommand as Uint8Array }),
    ...(gbcsPayload === undefined ? {} : { gbcsPayload: gbcsPayload as Uint8Array }),
  };
}

/** Not a member at all: a member present with the value undefined is left to zod. */
function absent(m: Record<string, unknown>, key: string): boolean {
  return !Object.hasOwn(m, key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A body zod's record takes as it is; keys that could confuse its plain-object test go to zod. */
function isPlainRecord(value: unknown): boolean {
  return isPlainObject(value) && !Object.hasOwn(value, 'constructor') && !Object.hasOwn(value, '__proto__');
}

/** Every own member is one of `allowed` and none is undefined (the schemas are strict). */
function hasOnlyMembers(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in value) {
    if (!Object.hasOwn(value, key) || !allowed.has(key) || value[key] === undefined) return false;
  }
  return true;
}
