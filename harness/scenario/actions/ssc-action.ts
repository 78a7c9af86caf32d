import { z } from 'zod';
import { ExpectationFailure } from '../expectation-failure.js';
import { approvalDone, deferredApproval, trialApproval } from '../trial-setup.js';
import { defineAction } from './step-action.js';

const sscSchema = z
  .object({
    approve: z
      .string()
      .optional()
      .describe('trial id declared with approval: step; eligibility is judged against the CPL now'),
    extend: z.string().optional().describe('trial id of a running trial'),
    months: z.number().int().positive().optional().describe('with extend: whole months added to the end'),
    withdraw: z.string().optional().describe('trial id of a running trial'),
    reason: z.string().optional().describe('with withdraw: the SSC’s reason, shown in the report'),
    expectRefusal: z
      .string()
      .optional()
      .describe('the SSC action must be refused with this rule (e.g. TRIAL-EXTENSION)'),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const kinds = (['approve', 'extend', 'withdraw'] as const).filter((k) => spec[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `an ssc step does one of approve, extend or withdraw${kinds.length > 1 ? `, not ${kinds.join(' and ')}` : ''}`,
      });
    }
    if (spec.extend !== undefined && spec.months === undefined)
      ctx.addIssue({ code: 'custom', path: ['months'], message: 'extend needs months' });
    if (spec.extend === undefined && spec.months !== undefined)
      ctx.addIssue({ code: 'custom', path: ['months'], message: 'months goes with extend' });
    if (spec.withdraw === undefined && spec.reason !== undefined)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'reason goes with withdraw' });
  });
export type SscSpec = z.infer<typeof sscSchema>;

/**
 * The SSC acts during the run (docs/domain/TRIALS.md "The proposed solution"): it approves a trial
 * declared `approval: step` (eligibility judged against the CPL as it is now), extends a running
 * trial, or withdraws one (its devices Suspended and due for upgrade or removal, policy
 * `trial.withdrawalConsequence`). Each action is dated in the SSC trial report. A refusal fails
 * the step, naming the rule, unless the step expects it with `expectRefusal`.
 */
export const sscAction = defineAction<SscSpec>({
  key: 'ssc',
  schema: sscSchema,
  description: 'the SSC approves, extends or withdraws a trial during the run',
  title: (s) =>
    s.approve !== undefined
      ? `SSC approves trial ${s.approve}`
      : s.extend !== undefined
        ? `SSC extends trial ${s.extend} by ${s.months} months`
        : `SSC withdraws trial ${s.withdraw}`,
  async run(spec, { stack }) {
    const dcc = stack.dcc;
    const now = stack.clock.now();
    let outcome: ReturnType<typeof dcc.administer>;
    if (spec.approve !== undefined) {
      const trial = deferredApproval(stack, spec.approve);
      if (trial === undefined) {
        throw new ExpectationFailure(
          `trial ${spec.approve} is not waiting for approval (the SSC approved it already)`,
          'a trial waiting for approval',
          [...dcc.view.trials.keys()],
        );
      }
      outcome = dcc.administer({
        kind: 'approveTrial',
        approval: trialApproval(trial, now, dcc.view.policy, now),
      });
      if (outcome.ok) approvalDone(stack, spec.approve);
    } else if (spec.extend !== undefined) {
      outcome = dcc.administer({ kind: 'extendTrial', trialId: spec.extend, months: spec.months ?? 0 });
    } else {
      outcome = dcc.administer({
        kind: 'withdrawTrial',
        trialId: spec.withdraw ?? '',
        reason: spec.reason ?? 'withdrawn by the SSC',
      });
    }
    if (outcome.ok) {
      if (spec.expectRefusal !== undefined) {
        throw new ExpectationFailure(
          `the SSC action was carried out; expected refusal ${spec.expectRefusal}`,
          spec.expectRefusal,
          'carried out',
        );
      }
      await outcome.settled;
      return undefined;
    }
    if (spec.expectRefusal !== outcome.rule) {
      throw new ExpectationFailure(
        `the SSC action was refused (${outcome.rule}): ${outcome.reason}`,
        spec.expectRefusal ?? 'carried out',
        outcome.rule,
      );
    }
    return undefined;
  },
});
