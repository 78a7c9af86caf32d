import { z } from 'zod';
import {
  type DccAlert,
  dccAlertSchema,
  type ServiceRequest,
  type ServiceResponse,
  serviceRequestSchema,
  serviceResponseSchema,
} from '../../domain/messages/duis-messages.js';
import {
  type GbcsFrame,
  type GbcsPayload,
  gbcsFrameSchema,
  gbcsPayloadSchema,
} from '../../domain/messages/gbcs-messages.js';
import { WireError } from '../../errors.js';
import { decodeCbor, encodeCbor } from './cbor-codec.js';

/** The one envelope every MQTT message carries (PROTOCOL.md §3). */
export const ENVELOPE_VERSION = 1;

export type Envelope =
  | { readonly kind: 'serviceRequest'; readonly message: ServiceRequest }
  | { readonly kind: 'serviceResponse'; readonly message: ServiceResponse }
  | { readonly kind: 'dccAlert'; readonly message: DccAlert }
  | { readonly kind: 'gbcs'; readonly message: GbcsFrame };

const envelopeSchema = z.discriminatedUnion('kind', [
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
  z.object({ v: z.literal(ENVELOPE_VERSION), kind: z.literal('gbcs'), message: gbcsFrameSchema }).strict(),
]);

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return encodeCbor({ v: ENVELOPE_VERSION, kind: envelope.kind, message: envelope.message });
}

/** Decodes and validates; throws WireError saying which field was wrong. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  const parsed = envelopeSchema.safeParse(decodeCbor(bytes, 'envelope'));
  if (!parsed.success) throw new WireError(`envelope: ${describeIssues(parsed.error)}`);
  const { kind, message } = parsed.data;
  return { kind, message } as Envelope;
}

export function encodeGbcsPayload(payload: GbcsPayload): Uint8Array {
  return encodeCbor(payload);
}

export function decodeGbcsPayload(bytes: Uint8Array): GbcsPayload {
  const parsed = gbcsPayloadSchema.safeParse(decodeCbor(bytes, 'GBCS payload'));
  if (!parsed.success) throw new WireError(`GBCS payload: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}

/** The wire's CBOR implementation of the domain's GbcsCodec port. */
export const cborGbcsCodec = { encodePayload: encodeGbcsPayload, decodePayload: decodeGbcsPayload };
