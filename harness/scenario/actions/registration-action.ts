import { z } from 'zod';
import { feedRegistration } from '../../stack/churn-operations.js';
import { instantSchema } from '../schema-parts.js';
import { defineAction } from './step-action.js';

const registrationSchema = z
  .object({
    device: z.string().describe('scenario id of the meter whose metering point changes hands'),
    supplier: z.string().optional().describe('party name of the newly registered supplier'),
    networkOperator: z.string().optional().describe('party name of the newly registered network operator'),
    from: instantSchema.optional().describe('supply start date; default: now'),
  })
  .strict()
  .refine((r) => (r.supplier === undefined) !== (r.networkOperator === undefined), {
    message: 'register names exactly one of supplier or networkOperator',
  });
export type RegistrationSpec = z.infer<typeof registrationSchema>;

/**
 * The registration data feed (DCC.md §9): from `from`, the DCC treats the party as registered for
 * the device. A supplier then still has to complete its Change of Supplier (6.23) before it may
 * do anything else; the losing supplier is refused (E4) from `from` on.
 */
export const registrationAction = defineAction<RegistrationSpec>({
  key: 'register',
  schema: registrationSchema,
  description: 'registration data: a supplier or network operator is registered for a device from a date',
  title: (r) =>
    `registration: ${r.supplier ?? r.networkOperator} registered for ${r.device}${r.from ? ` from ${r.from}` : ''}`,
  async run(spec, { stack }) {
    const device = stack.deviceSpec(spec.device).eui;
    const from = spec.from === undefined ? stack.clock.now() : Date.parse(spec.from);
    if (spec.supplier !== undefined) feedRegistration(stack, device, 'supplier', spec.supplier, from, 'CoS');
    if (spec.networkOperator !== undefined) {
      feedRegistration(stack, device, 'networkOperator', spec.networkOperator, from, 'registration');
    }
    return undefined;
  },
});
