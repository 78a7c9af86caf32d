import { z } from 'zod';
import {
  type DccAlert,
  dccAlertSchema,
  type ServiceRequest,
  type ServiceResponse,
  serviceRequestSchema,
  serviceResponseSchema,
} from '../../domain/messages/duis-messages.js';
import { WireError } from '../../errors.js';
import type { ContentCodec } from '../../ports/content-codec.js';
import { decodeCbor, encodeCbor } from './cbor-codec.js';
import { parseCommonEnvelope } from './envelope-fast-path.js';

/**
 * The envelope of the DCC User side of trialsim's broker (PROTOCOL.md §2). Device topics carry no
 * envelope: their payload is the raw GBCS APDU.
 */
export const ENVELOPE_VERSION = 1;

export type Envelope =
  | { readonly kind: 'serviceRequest'; readonly message: ServiceRequest }
  | { readonly kind: 'serviceResponse'; readonly message: ServiceResponse }
  | { readonly kind: 'dccAlert'; readonly message: DccAlert };

/** Exported for the fast path's test (envelope-fast-path.test.ts), which holds it to this. */
export const envelopeSchema = z.discriminatedUnion('kind', [
  z
    .object({
      v: z.literal(ENVELOPE_VERSION),
      kind: z.literal('serviceRequest'),
      message: serviceRequestSchema,
    })
    .strict(),
  z
    .object({
      v: z.literal(ENVELOPE_VERSION),
      kind: z.literal('serviceResponse'),
      message: serviceResponseSchema,
    })
    .strict(),
  z.object({ v: z.literal(ENVELOPE_VERSION), kind: z.literal('dccAlert'), message: dccAlertSchema }).strict(),
]);

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return encodeCbor({ v: ENVELOPE_VERSION, kind: envelope.kind, message: envelope.message });
}

/** Decodes and validates; throws WireError saying which field was wrong. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const value = decodeCbor(bytes, 'envelope');
  // The common requests and responses checked by hand, the schema's answer without zod's cost.
  const common = parseCommonEnvelope(value);
  if (common !== undefined) return common;
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) throw new WireError(`envelope: ${describeIssues(parsed.error)}`);
  const { kind, message } = parsed.data;
  return { kind, message } as Envelope;
}

const contentBodySchema = z.record(z.string(), z.unknown());

/** The trialsim-profile content of a device message: one CBOR map (PROTOCOL.md §5). */
export function encodeContentBody(body: Readonly<Record<string, unknown>>): Uint8Array {
  return encodeCbor(body);
}

export function decodeContentBody(bytes: Uint8Array): Record<string, unknown> {
  const parsed = contentBodySchema.safeParse(decodeCbor(bytes, 'content'));
  if (!parsed.success) throw new WireError(`content: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** The wire's CBOR implementation of the domain's ContentCodec port. */
export const cborContentCodec: ContentCodec = {
  encodeBody: encodeContentBody,
  decodeBody: decodeContentBody,
};
