import {
  type CplEntry,
  type DeviceType,
  findCplEntry,
  isTrialReference,
  overridePolicy,
  type PolicyValue,
  type PolicyValues,
  type TrialApproval,
  type TrialPolicy,
  trialPolicyFrom,
} from '../../simulator/domain/index.js';
import type { DeviceSpec } from '../stack/device-spec.js';
import { partyByName } from '../stack/parties.js';
import type { SimStack } from '../stack/sim-stack.js';

/**
 * A scenario's trials and policy as the DCC gets them: the run's policy values (defaults of the
 * registry, simulator/domain/policy/policy-settings.ts, with the scenario's `policy:` applied),
 * each trial's approval request (its policy: the run's trial defaults, then its own), and the
 * trials the SSC approves only when a step says so (`approval: step`, then `ssc: { approve }`).
 */
/** A trial as a scenario declares it (scenario-schema.ts; written out here, the schema imports the steps). */
export interface TrialDefinition {
  readonly trialId: string;
  readonly cpaCertificateReference: string;
  readonly manufacturer: string;
  readonly deviceType: DeviceType;
  readonly sponsor: string;
  readonly start?: string | undefined;
  readonly policy: { readonly [K in keyof TrialPolicy]?: TrialPolicy[K] | undefined };
  readonly approval: 'atStart' | 'step';
}

/** What of a scenario file the trial set-up reads. */
interface ScenarioTrials {
  readonly policy?: Readonly<Record<string, PolicyValue>> | undefined;
  readonly trials: readonly TrialDefinition[];
  readonly devices: readonly {
    readonly id: string;
    readonly preinstalled: boolean;
    readonly trial?: string | undefined;
  }[];
  readonly steps: readonly unknown[];
}

/** The run's policy values; a bad override is refused at load time (scenario-schema.ts). */
export function scenarioPolicy(definition: ScenarioTrials): PolicyValues {
  return overridePolicy(definition.policy ?? {});
}

export function trialApproval(
  trial: TrialDefinition,
  scenarioStart: number,
  policy: PolicyValues,
  approvedAt?: number,
): TrialApproval {
  const own = Object.fromEntries(Object.entries(trial.policy).filter(([, v]) => v !== undefined));
  return {
    trialId: trial.trialId,
    cpaCertificateReference: trial.cpaCertificateReference,
    manufacturer: trial.manufacturer,
    deviceType: trial.deviceType,
    sponsor: partyByName(trial.sponsor).eui,
    start: trial.start === undefined ? scenarioStart : Date.parse(trial.start),
    policy: { ...trialPolicyFrom(policy), ...own },
    ...(approvedAt === undefined ? {} : { approvedAt }),
  };
}

/** Trials declared `approval: step`, waiting for their `ssc: { approve }` step, per stack. */
const deferred = new WeakMap<SimStack, Map<string, TrialDefinition>>();

export function deferApproval(stack: SimStack, trial: TrialDefinition): void {
  const waiting = deferred.get(stack) ?? new Map<string, TrialDefinition>();
  waiting.set(trial.trialId, trial);
  deferred.set(stack, waiting);
}

/** The trial waiting for its approval step, if it still is. */
export function deferredApproval(stack: SimStack, trialId: string): TrialDefinition | undefined {
  return deferred.get(stack)?.get(trialId);
}

/** Approved: it no longer waits (a refused one waits on, for a later `ssc: { approve }`). */
export function approvalDone(stack: SimStack, trialId: string): void {
  deferred.get(stack)?.delete(trialId);
}

/**
 * Load-time checks of the scenario's trial references the schema cannot see: `ssc` steps name a
 * declared trial (`approve` one declared `approval: step`), and a device declared `trial:` runs
 * that trial's firmware by the CPL (its model, hardware and firmware version carry the trial's
 * CPA reference) and is preinstalled — membership follows the firmware, so a declaration the
 * CPL contradicts is a mistake in the scenario, not a way onto a trial.
 */
export function checkTrialReferences(
  definition: ScenarioTrials,
  devices: readonly DeviceSpec[],
  cpl: readonly CplEntry[],
  fail: (path: readonly PropertyKey[], problem: string) => never,
): void {
  const trials = new Map(definition.trials.map((t) => [t.trialId, t]));
  const known = [...trials.keys()].join(', ') || 'none';
  for (const [index, step] of definition.steps.entries()) {
    const ssc = (step as { ssc?: Record<string, unknown> }).ssc;
    if (ssc === undefined) continue;
    for (const key of ['approve', 'extend', 'withdraw'] as const) {
      const id = ssc[key];
      if (typeof id !== 'string') continue;
      const trial = trials.get(id);
      if (trial === undefined) {
        fail(
          ['steps', index, 'ssc', key],
          `steps.${index}.ssc.${key}: no trial "${id}" in trials: (${known})`,
        );
      }
      if (key === 'approve' && trial.approval !== 'step') {
        fail(
          ['steps', index, 'ssc', key],
          `steps.${index}.ssc.approve: trial ${id} is approved at the start; declare it with approval: step to approve it in a step`,
        );
      }
    }
  }
  for (const [index, declared] of definition.devices.entries()) {
    if (declared.trial === undefined) continue;
    const at = ['devices', index, 'trial'];
    const trial = trials.get(declared.trial);
    if (trial === undefined)
      fail(at, `device ${declared.id}: no trial "${declared.trial}" in trials: (${known})`);
    if (!declared.preinstalled) {
      fail(
        at,
        `device ${declared.id}: only a preinstalled device is declared with its trial; one installed in the scenario joins by the path it takes (8.1.1, 11.3)`,
      );
    }
    const spec = devices.find((d) => d.id === declared.id);
    const entry = spec === undefined ? undefined : findCplEntry(cpl, spec);
    if (entry?.cpaCertificateReference !== trial.cpaCertificateReference) {
      const runs =
        entry === undefined
          ? 'firmware with no CPL entry'
          : isTrialReference(entry.cpaCertificateReference)
            ? `the firmware of ${entry.cpaCertificateReference}`
            : `CPA-certified firmware (${entry.cpaCertificateReference})`;
      fail(
        at,
        `device ${declared.id} is declared on trial ${trial.trialId} (${trial.cpaCertificateReference}) but runs ${spec?.model} hw ${spec?.hardwareVersion} fw ${spec?.firmwareVersion}: ${runs}`,
      );
    }
  }
}
