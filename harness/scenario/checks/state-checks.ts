import { z } from 'zod';
import { SMI_STATUSES } from '../../../simulator/domain/index.js';
import { partyByName } from '../../stack/parties.js';
import { ExpectationFailure, matchesSubset } from '../expectation-failure.js';
import { awaitOutcome } from '../run-context.js';
import { outcomeExpectationSchema } from '../schema-parts.js';
import { checkOutcome } from './outcome-check.js';
import { defineCheck } from './state-check.js';

function compare(what: string, expected: Record<string, unknown>, actual: Record<string, unknown>): void {
  if (!matchesSubset(expected, actual)) throw new ExpectationFailure(what, expected, actual);
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

export const smiCheck = defineCheck({
  key: 'smi',
  description: "a device's Smart Metering Inventory record",
  schema: z
    .object({
      device: z.string(),
      status: z.enum(SMI_STATUSES).optional(),
      firmwareVersion: z.string().optional(),
      supplier: z.string().optional().describe('party name of the registered supplier'),
      trial: z.union([z.string(), z.null()]).optional().describe('trial id, or null for not on trial'),
      inSmi: z.boolean().optional(),
    })
    .strict(),
  check(want, { stack }) {
    const record = stack.dcc.view.smi.get(stack.deviceSpec(want.device).eui);
    const actual =
      record === undefined
        ? { inSmi: false }
        : {
            inSmi: true,
            status: record.status,
            firmwareVersion: record.firmwareVersion,
            supplier: record.supplier,
            trial: record.trialId ?? null,
          };
    const { device: _device, supplier, ...rest } = want;
    compare(
      `SMI record of ${want.device} differs`,
      defined({ ...rest, supplier: supplier && partyByName(supplier).eui }),
      actual,
    );
  },
});

export const deviceCheck = defineCheck({
  key: 'device',
  description: 'the simulated device itself',
  schema: z
    .object({
      device: z.string(),
      lifecycle: z.enum(['new', 'commissioned', 'decommissioned']).optional(),
      firmwareVersion: z.string().optional(),
      securityLogIncludes: z.string().optional().describe('a GBCS alert code, e.g. 0x8F3D'),
    })
    .strict(),
  check(want, { stack }) {
    const state = stack.deviceState(want.device);
    const actual = {
      lifecycle: state.lifecycle,
      firmwareVersion: state.firmwareVersion,
      securityLog: state.securityLog.map((e) => e.code),
    };
    const { device: _device, securityLogIncludes, ...rest } = want;
    compare(`device ${want.device} state differs`, defined(rest), actual);
    if (securityLogIncludes !== undefined && !actual.securityLog.includes(securityLogIncludes)) {
      throw new ExpectationFailure(
        `security log of ${want.device} has no ${securityLogIncludes}`,
        securityLogIncludes,
        actual.securityLog,
      );
    }
  },
});

export const alertCheck = defineCheck({
  key: 'alert',
  description: 'a DCC alert a party received',
  schema: z
    .object({
      to: z.string(),
      alert: z.string(),
      device: z.string().optional(),
      alertCode: z.string().optional(),
    })
    .strict(),
  check(want, { stack }) {
    const agent = stack.user(want.to);
    const eui = want.device === undefined ? undefined : stack.deviceSpec(want.device).eui;
    const found = agent.alerts.some(
      (a) =>
        a.alert === want.alert &&
        (eui === undefined || a.deviceId === eui) &&
        (want.alertCode === undefined || a.alertCode === want.alertCode),
    );
    if (!found) {
      throw new ExpectationFailure(
        `${want.to} has not received ${want.alert}`,
        want,
        agent.alerts.map((a) => `${a.alert}${a.alertCode ? ` ${a.alertCode}` : ''} ${a.deviceId}`),
      );
    }
  },
});

export const outcomeCheck = defineCheck({
  key: 'outcome',
  description: 'how a request sent earlier (with `name:`) ended',
  schema: outcomeExpectationSchema.extend({ request: z.string() }).strict(),
  async check(want, context) {
    const { request, ...expected } = want;
    const handle = context.named.get(request);
    if (handle === undefined)
      throw new ExpectationFailure(`no request named "${request}" was sent earlier`, request, [
        ...context.named.keys(),
      ]);
    // With a real device under test (--dut) in the run, a quiet bus proves nothing: wait in real time.
    const allSimulated = context.stack.devices.size === context.stack.deviceSpecs.size;
    checkOutcome(
      expected,
      await awaitOutcome(handle.final, context, `outcome of ${request}`, { autoAdvance: allSimulated }),
    );
  },
});

export const trialCheck = defineCheck({
  key: 'trial',
  description: "a trial's counts as the DCC holds them",
  schema: z
    .object({
      trialId: z.string(),
      commissioned: z.number().int().optional(),
      upgraded: z.number().int().optional(),
      removed: z.number().int().optional(),
      ended: z.boolean().optional(),
    })
    .strict(),
  check(want, { stack }) {
    const trial = stack.dcc.view.trials.get(want.trialId);
    const actual =
      trial === undefined
        ? { exists: false }
        : {
            commissioned: trial.commissioned.length,
            upgraded: trial.upgraded.size,
            removed: trial.removed.size,
            ended: trial.ended,
          };
    const { trialId: _id, ...rest } = want;
    compare(`trial ${want.trialId} differs`, defined(rest), actual);
  },
});
