import { z } from 'zod';
import {
  dnoNotification,
  type OprFigures,
  oprReport,
  sscTrialReport,
} from '../../../simulator/domain/index.js';
import { DEFAULT_PARTIES, partyByName } from '../../stack/parties.js';
import type { SimStack } from '../../stack/sim-stack.js';
import { ExpectationFailure, matchesSubset } from '../expectation-failure.js';
import { instantSchema } from '../schema-parts.js';
import { defineCheck } from './state-check.js';

/**
 * `expect: { report: … }`: the DCC's reports (simulator/domain/reports/) as of now, or `asOf`.
 * Parties are written by name and devices by scenario id; counts by status or supplier must
 * match exactly (a missing key means 0), everything else is a subset match.
 */
const counts = z.record(z.string(), z.number().int().nonnegative());
const figures = z
  .object({
    requests: z.number().int().optional(),
    succeeded: z.number().int().optional(),
    successRate: z.number().optional(),
    byOutcome: counts.optional(),
    responseTimeMs: z
      .object({
        count: z.number().int().optional(),
        p50: z.number().optional(),
        p90: z.number().optional(),
        p95: z.number().optional(),
        p99: z.number().optional(),
        max: z.number().optional(),
      })
      .strict()
      .optional()
      .describe('device round-trip times, virtual ms'),
  })
  .strict();

const sscSchema = z
  .object({
    trialId: z.string(),
    phase: z.enum(['notStarted', 'running', 'ended', 'withdrawn']).optional(),
    inField: z.number().int().optional(),
    commissioned: z.number().int().optional(),
    upgraded: z.number().int().optional(),
    removed: z.number().int().optional(),
    overdue: z.number().int().optional(),
    capHeadroom: z.number().int().optional(),
    moved: z.number().int().optional(),
    overCap: z.number().int().optional(),
    end: instantSchema.optional().describe('the trial’s end as the report gives it (after extensions)'),
    sponsorFailed: z.boolean().optional().describe('the report shows the sponsor failed'),
    actions: z
      .array(z.enum(['approved', 'extended', 'withdrawn', 'sponsorFailed', 'ended']))
      .optional()
      .describe('the SSC actions and trial events, in order, exactly'),
    byStatus: counts.optional().describe('in-field devices by SMI status, exactly'),
    bySupplier: counts.optional().describe('in-field devices by supplier party name, exactly'),
    devices: z
      .record(z.string(), z.enum(['inField', 'overdue', 'upgraded', 'removed', 'moved', 'overCap']))
      .optional()
      .describe('device id → its state in the trial'),
  })
  .strict();

const reportSchema = z
  .object({
    asOf: instantSchema.optional().describe('default: the current virtual time'),
    ssc: z.union([sscSchema, z.array(sscSchema)]).optional(),
    opr: z
      .object({
        excludedTrials: z.array(z.string()).optional(),
        withTrialDevices: figures.optional(),
        withoutTrialDevices: figures.optional(),
        excluded: figures.optional(),
      })
      .strict()
      .optional(),
    dno: z
      .object({
        networkOperator: z.string().describe('party name'),
        trialDevices: z.number().int().optional(),
        devices: z.array(z.string()).optional().describe('device ids, in any order'),
      })
      .strict()
      .optional(),
  })
  .strict();

type ReportSpec = z.infer<typeof reportSchema>;

function nameOf(eui: string): string {
  return DEFAULT_PARTIES.find((p) => p.eui === eui)?.name ?? eui;
}

function deviceIdOf(stack: SimStack, eui: string): string {
  return [...stack.deviceSpecs.values()].find((d) => d.eui === eui)?.id ?? eui;
}

function sameCounts(expected: Record<string, number>, actual: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...keys].every((k) => (expected[k] ?? 0) === (actual[k] ?? 0));
}

function checkSsc(spec: z.infer<typeof sscSchema>, stack: SimStack, asOf: number): void {
  const report = sscTrialReport(stack.dcc.view, asOf);
  const trial = report.trials.find((t) => t.trialId === spec.trialId);
  if (trial === undefined) {
    throw new ExpectationFailure(
      `the SSC report has no trial ${spec.trialId}`,
      spec.trialId,
      report.trials.map((t) => t.trialId),
    );
  }
  const actual = {
    ...trial,
    end: trial.window.end,
    sponsorFailed: trial.sponsorFailure !== null,
    actions: trial.actions.map((a) => a.action),
    bySupplier: Object.fromEntries(Object.entries(trial.bySupplier).map(([eui, n]) => [nameOf(eui), n])),
    devices: Object.fromEntries(trial.devices.map((d) => [deviceIdOf(stack, d.deviceId), d.state])),
  };
  const { byStatus, bySupplier, actions, end, ...rest } = spec;
  const ok =
    matchesSubset(rest, actual) &&
    (end === undefined || Date.parse(end) === trial.window.endMs) &&
    (actions === undefined || actions.join() === actual.actions.join()) &&
    (byStatus === undefined || sameCounts(byStatus, actual.byStatus)) &&
    (bySupplier === undefined || sameCounts(bySupplier, actual.bySupplier));
  if (!ok) throw new ExpectationFailure(`SSC report for ${spec.trialId} differs`, spec, actual);
}

function checkOpr(spec: NonNullable<ReportSpec['opr']>, stack: SimStack, asOf: number): void {
  const report = oprReport(stack.dcc.view, asOf);
  const part = (want: z.infer<typeof figures> | undefined, got: OprFigures) =>
    want === undefined ||
    (matchesSubset({ ...want, byOutcome: undefined }, { ...got, byOutcome: undefined }) &&
      (want.byOutcome === undefined || sameCounts(want.byOutcome, got.byOutcome)));
  const ok =
    (spec.excludedTrials === undefined || matchesSubset(spec.excludedTrials, report.excludedTrials)) &&
    part(spec.withTrialDevices, report.withTrialDevices) &&
    part(spec.withoutTrialDevices, report.withoutTrialDevices) &&
    part(spec.excluded, report.excluded);
  if (!ok) throw new ExpectationFailure('OPR report differs', spec, report);
}

function checkDno(spec: NonNullable<ReportSpec['dno']>, stack: SimStack, asOf: number): void {
  const report = dnoNotification(stack.dcc.view, asOf);
  const operator = partyByName(spec.networkOperator).eui;
  const devices = (
    report.networkOperators.find((n) => n.networkOperator === operator)?.trialDevices ?? []
  ).map((d) => deviceIdOf(stack, d.deviceId));
  const ok =
    (spec.trialDevices === undefined || spec.trialDevices === devices.length) &&
    (spec.devices === undefined ||
      (spec.devices.length === devices.length && spec.devices.every((d) => devices.includes(d))));
  if (!ok) {
    throw new ExpectationFailure(`DNO notification for ${spec.networkOperator} differs`, spec, {
      trialDevices: devices.length,
      devices,
    });
  }
}

export const reportCheck = defineCheck<ReportSpec>({
  key: 'report',
  description: "the DCC's SSC trial report, OPR figures or DNO notification",
  schema: reportSchema,
  check(spec, { stack }) {
    const asOf = spec.asOf === undefined ? stack.clock.now() : Date.parse(spec.asOf);
    const sscSpecs = spec.ssc === undefined ? [] : Array.isArray(spec.ssc) ? spec.ssc : [spec.ssc];
    for (const ssc of sscSpecs) checkSsc(ssc, stack, asOf);
    if (spec.opr !== undefined) checkOpr(spec.opr, stack, asOf);
    if (spec.dno !== undefined) checkDno(spec.dno, stack, asOf);
  },
});
