import { z } from 'zod';
import { DEVICE_TYPES } from '../device/device-types.js';
import { isEui } from '../eui.js';

/**
 * Request bodies the DCC reads, per SRV (DCC.md §2 payload notes). Anything not listed passes
 * its body through to the device untouched.
 */
const eui = z
  .string()
  .transform((text) => text.toUpperCase())
  .refine(isEui, 'must be an EUI-64 like 90-B3-D5-1F-30-01-00-00');

export const SRV_BODY_SCHEMAS: Readonly<Record<string, z.ZodType<Record<string, unknown>>>> = {
  '12.2': z
    .object({
      deviceId: eui,
      deviceType: z.enum(DEVICE_TYPES),
      manufacturer: z.string().min(1).max(64),
      model: z.string().min(1).max(64),
      hardwareVersion: z.string().min(1).max(32),
      // DCC.md §2: the firmware version in 12.2 is 1–8 characters.
      firmwareVersion: z.string().min(1).max(8),
      chfId: eui.optional(),
      networkOperator: eui.optional(),
    })
    .strict(),
  '8.2': z.object({ deviceId: eui }).strict(),
  '8.3': z.object({ deviceId: eui }).strict(),
  '8.4': z.object({ deviceId: eui, status: z.enum(['Pending', 'InstalledNotCommissioned']) }).strict(),
  '8.11': z
    .object({ action: z.enum(['add', 'remove']), deviceId: eui, installCode: z.string().optional() })
    .strict(),
};
