import { z } from 'zod';
import {
  CPL_STATUSES,
  DEVICE_TYPES,
  isEui,
  RESPONSE_CODES,
  type ResponseCode,
} from '../../simulator/domain/index.js';

/** Schema pieces shared by the scenario file, its actions and its checks. */
export const euiSchema = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine(isEui, 'must be an EUI-64 like 90-B3-D5-1F-30-01-00-00');

export const instantSchema = z
  .union([z.string().datetime({ offset: true }), z.string().date()])
  .describe('ISO 8601 date or date-time, UTC');

export const srvSchema = z.union([z.string(), z.number()]).transform(String).describe('SRV, e.g. "8.1.1"');

export const responseCodeSchema = z.enum(RESPONSE_CODES as [ResponseCode, ...ResponseCode[]]);

/** What names a Device Model on the CPL and in a device model file (DCC.md §5; 12.2 firmware: 1–8 chars). */
export const deviceModelIdentityShape = {
  deviceType: z.enum(DEVICE_TYPES),
  manufacturer: z.string().min(1),
  model: z.string().min(1),
  hardwareVersion: z.string().min(1),
  firmwareVersion: z.string().min(1).max(8),
};

export const cplEntrySchema = z
  .object({
    ...deviceModelIdentityShape,
    cpaCertificateReference: z.string().min(1),
    status: z.enum(CPL_STATUSES).default('Active'),
    imageHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
  })
  .strict();
export type CplEntryInput = z.infer<typeof cplEntrySchema>;

/** How a service request should end: a response code, or a device refusing it with an alert. */
export const outcomeExpectationSchema = z
  .object({
    response: responseCodeSchema.optional(),
    deviceAlert: z
      .string()
      .regex(/^0x8F[0-9A-F]{2}$/)
      .optional(),
    rule: z.string().optional(),
    reasonIncludes: z.string().optional(),
    body: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type OutcomeExpectation = z.infer<typeof outcomeExpectationSchema>;
