import { z } from 'zod';
import { bytesSchema } from './bytes-schema.js';

/**
 * GBCS-style messages between the DCC and devices (DCC.md §8). The protected part is the CBOR
 * encoding of `GbcsPayload`, carried as bytes so that a signature or MAC covers exactly what was
 * sent — no re-encoding, no canonicalisation questions for a device written in C.
 */
const eui = bytesSchema('an EUI-64', { length: 8 });

export const gbcsPayloadSchema = z
  .object({
    /** 1 command, 2 response, 3 alert. */
    cra: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    originator: eui,
    recipient: eui,
    /** Originator counter: strictly increasing per originator; below 2^53 in trialsim. */
    counter: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    /** Seconds since the Unix epoch, virtual time. */
    dateTime: z.number().int().nonnegative(),
    /** The command (its SRV, e.g. `8.1.1`) or, in an alert, the alert code (`0x8F3D`). */
    messageCode: z.string().max(16),
    /** A response names the counter of the command it answers. */
    inResponseTo: z.number().int().nonnegative().optional(),
    body: z.record(z.string(), z.unknown()),
  })
  .strict();
export type GbcsPayload = z.infer<typeof gbcsPayloadSchema>;

export const gbcsFrameSchema = z
  .object({
    payload: bytesSchema('payload', { maxLength: 65_536 }),
    /** Critical commands: ECDSA P-256 over SHA-256(payload), 64 bytes r‖s. */
    signature: bytesSchema('signature', { length: 64 }).optional(),
    /** Everything else: AES-128-GCM tag over the payload, 12 bytes. */
    mac: bytesSchema('MAC', { length: 12 }).optional(),
  })
  .strict();
export type GbcsFrame = z.infer<typeof gbcsFrameSchema>;
