import { z } from 'zod';
import { CPL_STATUSES } from '../../../simulator/domain/index.js';
import { cplEntrySchema } from '../schema-parts.js';
import { defineAction } from './step-action.js';

const cplChangeSchema = z
  .object({
    add: z
      .array(cplEntrySchema)
      .optional()
      .describe('new entries, e.g. a firmware version that got its CPA certificate'),
    setStatus: z
      .object({ cpaCertificateReference: z.string(), status: z.enum(CPL_STATUSES) })
      .strict()
      .optional(),
  })
  .strict();

/** SECAS changes the CPL mid-scenario; installed devices are suspended or restored to match. */
export const cplAction = defineAction<z.infer<typeof cplChangeSchema>>({
  key: 'cpl',
  schema: cplChangeSchema,
  description: 'change the Central Products List',
  title: (c) =>
    c.add
      ? `CPL: add ${c.add.map((e) => `${e.model} ${e.firmwareVersion}`).join(', ')}`
      : `CPL: set ${c.setStatus?.cpaCertificateReference} ${c.setStatus?.status}`,
  async run(change, { stack }) {
    for (const entry of change.add ?? []) {
      await stack.dcc.administer({ kind: 'addCplEntry', entry: { ...entry, imageHash: entry.imageHash } })
        .settled;
    }
    if (change.setStatus !== undefined) {
      const outcome = stack.dcc.administer({ kind: 'setCplStatus', ...change.setStatus });
      if (!outcome.ok) throw new RangeError(outcome.reason);
      await outcome.settled;
    }
    return undefined;
  },
});
