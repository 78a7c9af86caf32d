import { z } from 'zod';
import { cosSucceeded, nameOf, supplierOfLastResort } from '../../stack/churn-operations.js';
import { partyByName } from '../../stack/parties.js';
import { ExpectationFailure } from '../expectation-failure.js';
import { guard } from '../run-context.js';
import { defineAction } from './step-action.js';

const solrSchema = z
  .object({
    party: z.string().describe('party name of the supplier that failed'),
    to: z.string().describe('party name of the Supplier of Last Resort'),
    keepFailedUserActive: z
      .boolean()
      .default(false)
      .describe("leave the failed supplier's DCC User account active (default: suspended, E3)"),
  })
  .strict();
export type SolrSpec = z.infer<typeof solrSchema>;

/**
 * A supplier fails (TRIALS.md "Change of Supplier during a trial"): every device registered to
 * it moves to the Supplier of Last Resort in one batch — one registration change, then a 6.23
 * from the SoLR for each live device, all sent before any is answered. The step fails, naming the
 * devices, unless every one of them confirms the replacement.
 */
export const supplierOfLastResortAction = defineAction<SolrSpec>({
  key: 'supplierOfLastResort',
  schema: solrSchema,
  description: 'a supplier fails: all its devices move to the Supplier of Last Resort in one batch',
  title: (s) => `Supplier of Last Resort: ${s.to} takes over ${s.party}'s devices`,
  async run(spec, context) {
    const { stack } = context;
    // The SSC report shows the failure, dated, on every trial the failed supplier sponsored.
    await stack.dcc.administer({
      kind: 'noteSponsorFailure',
      failed: partyByName(spec.party).eui,
      lastResort: partyByName(spec.to).eui,
    }).settled;
    const result = await supplierOfLastResort(
      stack,
      spec.party,
      spec.to,
      (promise, what) => guard(promise, context.waitGuardMs, what),
      { keepFailedUserActive: spec.keepFailedUserActive },
    );
    const failed = [...result.outcomes].filter(([, outcome]) => !cosSucceeded(outcome));
    if (failed.length > 0) {
      throw new ExpectationFailure(
        `${failed.length} of ${result.outcomes.size} devices did not move to ${spec.to}`,
        'every 6.23 confirmed by its device',
        failed.map(([device, outcome]) =>
          outcome.kind === 'response'
            ? `${device}: ${outcome.response.responseCode} ${JSON.stringify(outcome.response.body ?? outcome.response.reason)}`
            : `${device}: device alert ${outcome.alert.alertCode}`,
        ),
      );
    }
    if (result.outcomes.size === 0 && result.appointment.movedInSmi.length === 0) {
      throw new ExpectationFailure(
        `${spec.party} has no devices for ${nameOf(stack, result.appointment.lastResort)} to take`,
        'at least one device',
        [],
      );
    }
    return undefined;
  },
});
