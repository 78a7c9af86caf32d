import { addMonths } from '../../time/durations.js';
import { type CplEntry, isTrialReference } from '../cpl/cpl-entry.js';
import type { Eui } from '../eui.js';
import { DEFAULT_POLICY_VALUES, type PolicyValues } from '../policy/policy-settings.js';

/** Policy settings of a trial, with the defaults of TRIALS.md. */
export const ELIGIBILITY_MODES = ['anyCertifiedProduct', 'sameDeviceTypeCertified', 'none'] as const;
export type EligibilityMode = (typeof ELIGIBILITY_MODES)[number];

export interface TrialPolicy {
  readonly maxDevices: number;
  readonly durationMonths: number;
  readonly eligibility: EligibilityMode;
  readonly endOfTrialAction: 'upgradeOrRemove';
  readonly excludeFromOpr: boolean;
}

/** A trial's policy from a run's policy values (defaults: the registry, policy-settings.ts). */
export function trialPolicyFrom(values: PolicyValues): TrialPolicy {
  return Object.freeze({
    maxDevices: values['trial.maxDevices'] as number,
    durationMonths: values['trial.durationMonths'] as number,
    eligibility: values['trial.eligibility'] as EligibilityMode,
    endOfTrialAction: 'upgradeOrRemove',
    excludeFromOpr: values['trial.excludeFromOpr'] as boolean,
  });
}

export const DEFAULT_TRIAL_POLICY: TrialPolicy = trialPolicyFrom(DEFAULT_POLICY_VALUES);

/** A trial the SSC approved: its Trial CPA reference marks its Device Models on the CPL. */
export interface Trial {
  readonly trialId: string;
  readonly cpaCertificateReference: string;
  readonly manufacturer: string;
  readonly sponsor: Eui;
  readonly start: number;
  readonly end: number;
  readonly policy: TrialPolicy;
  /** Devices ever commissioned under the trial: the cap counts these (decisions log, 2026-11-22). */
  readonly commissioned: Eui[];
  /** Slots held by commissioning commands accepted but not yet answered by the device. */
  readonly reserved: Set<string>;
  /** Devices that left the trial by an upgrade to CPA-certified firmware, with when. */
  readonly upgraded: Map<Eui, number>;
  /** Devices removed (decommissioned) while on trial, with when. */
  readonly removed: Map<Eui, number>;
  ended: boolean;
}

export function trialEnd(start: number, policy: TrialPolicy): number {
  return addMonths(start, policy.durationMonths);
}

export type TrialRefusal = { readonly rule: string; readonly reason: string };

/** TRIALS.md "Limits": the cap and the window are hard limits enforced by the DCC side. */
export function checkTrialCommissioning(trial: Trial, now: number): TrialRefusal | undefined {
  if (now < trial.start) {
    return {
      rule: 'TRIAL-WINDOW',
      reason: `trial ${trial.trialId} has not started (starts ${new Date(trial.start).toISOString()})`,
    };
  }
  if (now >= trial.end || trial.ended) {
    return {
      rule: 'TRIAL-WINDOW',
      reason: `trial ${trial.trialId} ended ${new Date(trial.end).toISOString()}: no more commissioning`,
    };
  }
  const used = trial.commissioned.length + trial.reserved.size;
  if (used >= trial.policy.maxDevices) {
    return {
      rule: 'TRIAL-CAP',
      reason: `trial ${trial.trialId} has reached its cap of ${trial.policy.maxDevices} devices`,
    };
  }
  return undefined;
}

/**
 * Eligibility for SSC approval (TRIALS.md, `eligibility`): whether the manufacturer must already
 * have a CPA-certified product on the CPL, of any type or of the trial device's type.
 */
export function checkEligibility(
  cpl: readonly CplEntry[],
  manufacturer: string,
  deviceType: string,
  mode: EligibilityMode,
): TrialRefusal | undefined {
  if (mode === 'none') return undefined;
  const certified = cpl.filter(
    (entry) =>
      entry.manufacturer === manufacturer &&
      entry.status === 'Active' &&
      !isTrialReference(entry.cpaCertificateReference) &&
      (mode === 'anyCertifiedProduct' || entry.deviceType === deviceType),
  );
  if (certified.length > 0) return undefined;
  return {
    rule: 'TRIAL-ELIGIBILITY',
    reason:
      mode === 'anyCertifiedProduct'
        ? `${manufacturer} has no CPA-certified product on the CPL (eligibility: anyCertifiedProduct)`
        : `${manufacturer} has no CPA-certified ${deviceType} on the CPL (eligibility: sameDeviceTypeCertified)`,
  };
}
