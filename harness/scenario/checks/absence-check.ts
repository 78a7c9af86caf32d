import { z } from 'zod';
import { DCC_ALERT_NAMES } from '../../../simulator/domain/index.js';
import { addDuration, parseDuration } from '../../../simulator/time/index.js';
import { partyByName } from '../../stack/parties.js';
import { ExpectationFailure } from '../expectation-failure.js';
import { instantSchema, knownSrvSchema, responseCodeSchema } from '../schema-parts.js';
import { defineCheck } from './state-check.js';

/**
 * `expect: { none: … }`: something did NOT happen within a span of virtual time — no DCC alert
 * of a kind to a party, no message to a party or device, no SR outcome of a kind. Every name is
 * checked against its vocabulary (alert names, trace kinds, response codes, and the scenario's
 * parties and devices by the reference checks), so a misspelt absence cannot pass by matching
 * nothing. The span ends now; it starts `since` an instant, `within` a duration ago, or at the
 * start of the run.
 */
const TRACE_KINDS = ['serviceRequest', 'serviceResponse', 'dccAlert', 'gbcs', 'malformed', 'notice'] as const;

const noneSchema = z
  .object({
    since: instantSchema.optional().describe('the span starts at this instant'),
    within: z.string().optional().describe('the span is the last duration, e.g. "2 days"'),
    alert: z
      .object({
        to: z.string().describe('the DCC User that must not have received it'),
        alert: z.enum(DCC_ALERT_NAMES).optional().describe('default: any DCC alert'),
        device: z.string().optional(),
        alertCode: z
          .string()
          .regex(/^0x[0-9A-F]{4}$/)
          .optional(),
      })
      .strict()
      .optional(),
    message: z
      .object({
        to: z.string().optional().describe('a DCC User the bus must not have carried a message to'),
        device: z.string().optional().describe('a device the bus must not have carried a message to'),
        kind: z.enum(TRACE_KINDS).optional().describe('default: any kind'),
      })
      .strict()
      .refine((m) => (m.to === undefined) !== (m.device === undefined), 'message needs one of to or device')
      .optional(),
    outcome: z
      .object({
        srv: knownSrvSchema.optional(),
        response: responseCodeSchema.optional(),
        device: z.string().optional(),
        as: z.string().optional().describe('the DCC User that sent it'),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((spec, ctx) => {
    const kinds = (['alert', 'message', 'outcome'] as const).filter((k) => spec[k] !== undefined);
    if (kinds.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: 'none: says what did not happen: one of alert, message or outcome',
      });
    if (spec.since !== undefined && spec.within !== undefined)
      ctx.addIssue({ code: 'custom', message: 'none: takes since or within, not both' });
    if (spec.within !== undefined) {
      try {
        parseDuration(spec.within);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['within'], message: (err as Error).message });
      }
    }
  });
export type NoneSpec = z.infer<typeof noneSchema>;

function spanStart(spec: NoneSpec, now: number): number {
  if (spec.since !== undefined) return Date.parse(spec.since);
  if (spec.within === undefined) return Number.NEGATIVE_INFINITY;
  const duration = parseDuration(spec.within);
  return duration.unit === 'ms'
    ? now - duration.amount
    : addDuration(now, { amount: -duration.amount, unit: duration.unit });
}

const iso = (ms: number) => new Date(ms).toISOString();

export const absenceCheck = defineCheck<NoneSpec>({
  key: 'none',
  description: 'nothing of a kind happened within a span: no alert, no message, no SR outcome',
  schema: noneSchema,
  check(spec, { stack }) {
    const now = stack.clock.now();
    const from = spanStart(spec, now);
    const span = Number.isFinite(from) ? `between ${iso(from)} and ${iso(now)}` : `by ${iso(now)}`;
    const eui = (device: string | undefined) =>
      device === undefined ? undefined : stack.deviceSpec(device).eui;
    let found: string[] = [];
    let what = '';
    if (spec.alert !== undefined) {
      const want = spec.alert;
      const device = eui(want.device);
      found = stack
        .user(want.to)
        .alerts.filter(
          (a) =>
            a.raisedAt >= from &&
            (want.alert === undefined || a.alert === want.alert) &&
            (device === undefined || a.deviceId === device) &&
            (want.alertCode === undefined || a.alertCode === want.alertCode),
        )
        .map((a) => `${iso(a.raisedAt)} ${a.alert}${a.alertCode ? ` ${a.alertCode}` : ''} ${a.deviceId}`);
      what = `${want.to} received ${want.alert ?? 'a DCC alert'}${want.device ? ` about ${want.device}` : ''}`;
    } else if (spec.message !== undefined) {
      const want = spec.message;
      const to = want.to !== undefined ? partyByName(want.to).eui : eui(want.device);
      // Iterated, not copied: a long run's older entries are read back from its spill.
      for (const e of stack.trace) {
        if (e.at >= from && e.to === to && (want.kind === undefined || e.kind === want.kind))
          found.push(`#${e.seq} ${iso(e.at)} ${e.kind} ${e.from} -> ${e.to}: ${e.summary}`);
      }
      what = `a ${want.kind ?? 'message'} went to ${want.to ?? want.device}`;
    } else if (spec.outcome !== undefined) {
      const want = spec.outcome;
      const device = eui(want.device);
      const user = want.as === undefined ? undefined : partyByName(want.as).eui;
      found = stack.dcc.view.outcomes
        .filter(
          (o) =>
            o.completedAt >= from &&
            o.completedAt <= now &&
            (want.srv === undefined || o.srv === want.srv) &&
            (want.response === undefined || o.outcome === want.response) &&
            (device === undefined || o.device === device) &&
            (user === undefined || o.user === user),
        )
        .map(
          (o) =>
            `${iso(o.completedAt)} ${o.srv} ${o.outcome}${o.rule ? ` (${o.rule})` : ''} ${o.device ?? ''}`,
        );
      what = `an SR ended${want.srv ? ` ${want.srv}` : ''}${want.response ? ` in ${want.response}` : ''}${want.device ? ` for ${want.device}` : ''}`;
    }
    if (found.length > 0) {
      throw new ExpectationFailure(`expected none, but ${what} ${span}`, 'none', found.slice(0, 12));
    }
  },
});
