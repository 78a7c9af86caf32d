import { z } from 'zod';
import { currentSupplierName } from '../../stack/churn-operations.js';
import { ExpectationFailure } from '../expectation-failure.js';
import { FLEET_PROCEDURE_NAMES, FLEET_PROCEDURES, type TemplateStep } from '../fleets/fleet-procedures.js';
import { selectFleetDevices } from '../fleets/fleet-selection.js';
import { defineAction } from './step-action.js';

const fleetStepSchema = z
  .object({
    devices: z
      .union([z.string(), z.array(z.string()).min(1)])
      .describe('fleet id(s) and/or device id(s); fleets expand to their devices in order'),
    from: z.number().int().positive().optional().describe('first position to include (1-based)'),
    to: z.number().int().positive().optional().describe('last position to include (inclusive)'),
    as: z.string().optional().describe("party that sends the SRs (default: each device's supplier)"),
    do: z
      .union([z.enum(FLEET_PROCEDURE_NAMES), z.array(z.record(z.string(), z.unknown())).min(1)])
      .describe(
        `a procedure (${FLEET_PROCEDURE_NAMES.join(', ')}) or a list of steps written without \`device\` (and \`as\`), run for each device`,
      ),
  })
  .strict();
export type FleetStepSpec = z.infer<typeof fleetStepSchema>;

function describeDo(spec: FleetStepSpec): string {
  return typeof spec.do === 'string' ? spec.do : `${spec.do.length} step${spec.do.length === 1 ? '' : 's'}`;
}

/**
 * Runs a procedure or a list of steps for each device of a fleet (or a slice of it), one device
 * after another so the trace stays in one deterministic order. Stops at the first device that
 * misbehaves and names it.
 */
export const fleetAction = defineAction<FleetStepSpec>({
  key: 'fleet',
  schema: fleetStepSchema,
  description: 'run a procedure or steps for each device of a fleet',
  title: (s) =>
    `fleet ${typeof s.devices === 'string' ? s.devices : s.devices.join(', ')}${s.from || s.to ? ` [${s.from ?? 1}..${s.to ?? ''}]` : ''}: ${describeDo(s)}`,
  async run(spec, context) {
    const selected = selectFleetDevices(spec, context.fleets, new Set(context.stack.deviceSpecs.keys()));
    if (!selected.ok) throw new RangeError(`fleet: ${selected.problem}`);
    const { ids } = selected;
    for (const [position, id] of ids.entries()) {
      const device = context.stack.deviceSpec(id);
      context.progress(`${id} (${position + 1} of ${ids.length})`);
      const steps: readonly TemplateStep[] =
        typeof spec.do === 'string' ? FLEET_PROCEDURES[spec.do].steps(device) : spec.do;
      for (const [n, template] of steps.entries()) {
        const where = `${id} (${position + 1} of ${ids.length}), step ${n + 1}`;
        try {
          // Default: the device's supplier now (after churn, not the one it was built for).
          await context.runStepFor(template, {
            device: id,
            as: spec.as ?? currentSupplierName(context.stack, id),
          });
        } catch (err) {
          if (err instanceof ExpectationFailure) {
            throw new ExpectationFailure(`${where}: ${err.message}`, err.expected, err.actual);
          }
          throw new Error(`${where}: ${(err as Error).message}`, { cause: err });
        }
      }
    }
    return undefined;
  },
});
