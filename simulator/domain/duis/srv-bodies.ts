import { z } from 'zod';
import { credentialReplacementBodySchema } from '../device/credential-replacement.js';
import { DEVICE_TYPES } from '../device/device-types.js';
import { isEui } from '../eui.js';
import { FIRMWARE_MAX_IMAGE_BYTES } from '../firmware/firmware-image.js';
import { bytesSchema } from '../messages/bytes-schema.js';

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
      // Not a DUIS field: the DCC takes it from the CPL's Device Model when it is absent (DUIS.md §4.1).
      hardwareVersion: z.string().min(1).max(32).optional(),
      // DCC.md §2: the firmware version in 12.2 is 1–8 characters.
      firmwareVersion: z.string().min(1).max(8),
      chfId: eui.optional(),
      networkOperator: eui.optional(),
      // DUIS 5.4 DevicePrenotification fields trialsim keeps but does not act on.
      smetsChtsVersion: z.string().min(1).max(20).optional(),
      esmeVariant: z.string().min(1).max(3).optional(),
      associatedGpfDeviceId: eui.optional(),
    })
    .strict(),
  '8.2': z.object({ deviceId: eui }).strict(),
  '8.3': z.object({ deviceId: eui }).strict(),
  '8.14.1': z.object({ deviceId: eui }).strict(),
  '8.14.2': z.object({ deviceId: eui }).strict(),
  '8.14.3': z.object({ deviceId: eui }).strict(),
  '8.14.4': z.object({ deviceId: eui }).strict(),
  '8.4': z.object({ deviceId: eui, status: z.enum(['Pending', 'InstalledNotCommissioned']) }).strict(),
  '8.11': z
    .object({ action: z.enum(['add', 'remove']), deviceId: eui, installCode: z.string().optional() })
    .strict(),
  // DCC.md §2: 6.23 carries the gaining supplier's certificates (named by serial number in the
  // SMKI repository; default its in-use ones) and the floor for its counter (default: the 6.23's).
  '6.23': z
    .object({
      dsCertificateSerial: z
        .string()
        .regex(/^[0-9a-fA-F]{1,40}$/)
        .optional(),
      kaCertificateSerial: z
        .string()
        .regex(/^[0-9a-fA-F]{1,40}$/)
        .optional(),
      floorSequenceNumber: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
    })
    .strict(),
  '6.15.1': credentialReplacementBodySchema,
  // DCC.md §2/§10: 11.1 carries the image, its version and the devices to send it to.
  '11.1': z
    .object({
      image: bytesSchema('image', { maxLength: FIRMWARE_MAX_IMAGE_BYTES }),
      firmwareVersion: z.string().min(1).max(8),
      deviceIds: z.array(z.string()).min(1).max(10_000),
    })
    .strict(),
  // 11.3: the 32-byte manufacturer image hash and an optional execution date-time (future-dated).
  '11.3': z
    .object({
      imageHash: bytesSchema('imageHash', { length: 32 }),
      executionDateTime: z.string().datetime({ offset: true }).optional(),
    })
    .strict(),
  '6.13': z.object({ log: z.enum(['event', 'security']).default('event') }).strict(),
};
