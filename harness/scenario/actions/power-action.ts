import { z } from 'zod';
import { defineAction } from './step-action.js';

const powerSchema = z
  .object({
    device: z.string().describe('scenario id of the device'),
    state: z.union([z.enum(['on', 'off']), z.boolean()]).describe('off: mains lost; on: restored'),
  })
  .strict();

/**
 * Cuts or restores a device's mains power. While off the device hears nothing (the DCC answers
 * E21 after its deadline); an activation in progress is lost and the old image keeps running.
 */
export const powerAction = defineAction<z.infer<typeof powerSchema>>({
  key: 'power',
  schema: powerSchema,
  description: "cut or restore a simulated device's power",
  title: (p) => `power ${p.state === true || p.state === 'on' ? 'restored to' : 'lost at'} ${p.device}`,
  async run(power, { stack }) {
    await stack.device(power.device).setPower(power.state === true || power.state === 'on');
    return undefined;
  },
});
