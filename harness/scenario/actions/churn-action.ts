import { z } from 'zod';
import { MONTH_MS } from '../../../simulator/domain/index.js';
import { addDuration, parseDuration } from '../../../simulator/time/index.js';
import { startChurn } from '../../stack/churn-operations.js';
import { selectFleetDevices } from '../fleets/fleet-selection.js';
import { durationSchema } from '../schema-parts.js';
import { defineAction } from './step-action.js';

const churnSchema = z
  .object({
    devices: z
      .union([z.string(), z.array(z.string()).min(1)])
      .describe('fleet id(s) and/or device id(s) whose consumers may switch supplier'),
    suppliers: z.array(z.string()).min(2).describe('party names of the suppliers consumers move between'),
    ratePerMonth: z
      .number()
      .min(0)
      .lt(1)
      .describe('chance a device changes supplier within a month, e.g. 0.02'),
    for: durationSchema.describe(
      'how long churn runs, e.g. "12 months"; advance virtual time to see it happen',
    ),
  })
  .strict();
export type ChurnSpec = z.infer<typeof churnSchema>;

/**
 * Starts seeded churn (simulator/domain/churn/churn-generator.ts): plans every Change of Supplier
 * for the window from the run's seed and schedules each on the virtual clock, where it runs as a
 * real CoS (registration feed, then 6.23 from the gaining supplier). Later `advance` steps make
 * it happen; `smi` checks (supplier) and the SSC report show where devices went.
 */
export const churnAction = defineAction<ChurnSpec>({
  key: 'churn',
  schema: churnSchema,
  description: 'start seeded supplier churn over a fleet for a period of virtual time',
  title: (c) =>
    `churn ${typeof c.devices === 'string' ? c.devices : c.devices.join(', ')}: ${(c.ratePerMonth * 100).toFixed(1)}% a month for ${c.for}`,
  async run(spec, context) {
    const { stack } = context;
    const selected = selectFleetDevices(spec, context.fleets, new Set(stack.deviceSpecs.keys()));
    if (!selected.ok) throw new RangeError(`churn: ${selected.problem}`);
    const until = addDuration(stack.clock.now(), parseDuration(spec.for));
    const run = startChurn(stack, {
      devices: selected.ids.map((id) => stack.deviceSpec(id).eui),
      suppliers: spec.suppliers,
      ratePerMonth: spec.ratePerMonth,
      until,
      label: `${stack.clock.now()}`,
    });
    stack.trace.add({
      at: stack.clock.now(),
      from: 'DCC',
      to: 'DCC',
      kind: 'notice',
      summary: `churn planned: ${run.planned.length} Changes of Supplier over ${selected.ids.length} devices in ${((until - stack.clock.now()) / MONTH_MS).toFixed(1)} months`,
    });
    return undefined;
  },
});
