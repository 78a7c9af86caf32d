import { z } from 'zod';
import { isEui } from '../eui.js';

/** An EUI-64 in a request body, written with hyphens; upper-cased as the SMI keys it. */
export const euiField = z
  .string()
  .transform((text) => text.toUpperCase())
  .refine(isEui, 'must be an EUI-64 like 90-B3-D5-1F-30-01-00-00');

/** The body of a non-device SR that names one device. */
export const deviceIdBody = z.object({ deviceId: euiField }).strict();
