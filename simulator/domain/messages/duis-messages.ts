import { z } from 'zod';
import { RESPONSE_CODES, type ResponseCode } from '../duis/response-codes.js';
import { bytesSchema } from './bytes-schema.js';

/**
 * DUIS-style messages between DCC Users and the DCC (DCC.md §2), as they travel on the wire.
 * Every message is validated against these schemas when it arrives; names follow DUIS.
 */
const bytes = bytesSchema();
const body = z.record(z.string(), z.unknown());

export const serviceRequestSchema = z
  .object({
    requestId: z.string().max(80),
    commandVariant: z.number().int().min(1).max(8),
    serviceReference: z.string().regex(/^\d+(\.\d+)?$/),
    serviceReferenceVariant: z.string().regex(/^\d+(\.\d+){1,2}$/),
    body: body.default({}),
    /** CV 5: the Pre-Command the DCC returned for CV 4, as the User signed it. */
    preCommand: bytes.optional(),
    /** CV 5: the User's ECDSA P-256 signature over `preCommand` (64 bytes r‖s). */
    signature: bytes.optional(),
  })
  .strict();
export type ServiceRequest = z.infer<typeof serviceRequestSchema>;

export const serviceResponseSchema = z
  .object({
    responseId: z.string(),
    requestId: z.string(),
    serviceReferenceVariant: z.string(),
    responseCode: z.enum(RESPONSE_CODES as [ResponseCode, ...ResponseCode[]]),
    /** The rule that decided the outcome (e.g. `DUIS-E5`, `TRIAL-CAP`), so the evidence can cite it. */
    rule: z.string().optional(),
    reason: z.string().optional(),
    body: body.optional(),
    /** CV 4 answer: the GBCS payload the User must sign. */
    preCommand: bytes.optional(),
    /**
     * A device's response: its GBCS APDU exactly as it sent it, MAC header included — DUIS's
     * GBCSPayload (DUIS.md §3.1 shape 4). Only the DUIS adapter writes it out: trialsim's MQTT
     * envelope carries the decoded `body` and never this (DccNode strips it).
     */
    gbcsPayload: bytes.optional(),
  })
  .strict();
export type ServiceResponse = z.infer<typeof serviceResponseSchema>;

export const DCC_ALERT_NAMES = [
  'DeviceSuspended',
  'DeviceRestored',
  'MeterDecommissioningOrWithdrawal',
  'DeviceRemovedFromInventory',
  'FirmwareVersionMismatch',
  'FirmwareDistributionFailure',
  'ChangeOfSupplier',
  'SecurityCredentialsUpdated',
  'DeviceAlert',
] as const;

export const dccAlertSchema = z
  .object({
    alert: z.enum(DCC_ALERT_NAMES),
    deviceId: z.string(),
    raisedAt: z.number().int(),
    /** For `DeviceAlert`: the GBCS alert code the device raised, e.g. `0x8F3D`. */
    alertCode: z.string().optional(),
    details: body.optional(),
    /**
     * For `DeviceAlert`: the device's alert APDU exactly as it sent it — DUIS's
     * DeviceAlertMessage GBCSPayload (DUIS.md §3). Like a response's, never on the MQTT envelope.
     */
    gbcsPayload: bytes.optional(),
  })
  .strict();
export type DccAlert = z.infer<typeof dccAlertSchema>;
