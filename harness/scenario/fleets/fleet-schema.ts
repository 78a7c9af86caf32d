import { z } from 'zod';
import { euiSchema } from '../schema-parts.js';

/**
 * A fleet: N devices of one model declared in one entry, so a 100-device trial is as short to
 * write as a one-device one. Device ids are `{id}-001` … (zero-padded to the count's width) and
 * EUIs count up from `firstEui`.
 */
export const fleetSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and -'),
    count: z.number().int().min(1).max(10_000).describe('how many devices'),
    model: z
      .string()
      .describe(
        'a device model file, relative to this scenario file; or the name of one of trialsim’s own (fixtures/device-models/, without .yaml)',
      ),
    firstEui: euiSchema.describe('EUI of the first device; the others count up from it'),
    supplier: z.string().default('supplier-a'),
    networkOperator: z.string().default('network-operator'),
    firmwareVersion: z.string().min(1).max(8).optional().describe('overrides the model file'),
    preinstalled: z.boolean().default(false),
    chf: z.string().optional().describe('id of one comms hub every device of the fleet joins'),
    commsHubs: z
      .object({
        model: z
          .string()
          .describe('the comms hub model: a file relative to this scenario file, or a name as for model'),
        firstEui: euiSchema.describe('EUI of the first comms hub; the others count up from it'),
      })
      .strict()
      .optional()
      .describe('give every device its own preinstalled comms hub, id `{device id}-chf`'),
  })
  .strict()
  .refine((f) => f.chf === undefined || f.commsHubs === undefined, {
    message: 'give the fleet either one shared chf or commsHubs, not both',
  });
export type FleetDefinition = z.infer<typeof fleetSchema>;
