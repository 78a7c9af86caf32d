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

/** How a device came onto a trial's firmware (the one rule: trial-membership.ts). */
export type TrialJoinPath = '8.1.1' | '11.3' | '11.2' | '0x8F43' | 'preinstalled' | 'approval' | 'cpl';

/** An SSC action or an event in the trial's life, dated, for the SSC report. */
export interface TrialAction {
  readonly at: number;
  readonly action: 'approved' | 'extended' | 'withdrawn' | 'sponsorFailed' | 'ended';
  readonly detail: string;
}

/** A trial the SSC approved: its Trial CPA reference marks its Device Models on the CPL. */
export interface Trial {
  readonly trialId: string;
  readonly cpaCertificateReference: string;
  readonly manufacturer: string;
  readonly sponsor: Eui;
  readonly start: number;
  /** Moves when the SSC extends the trial. */
  end: number;
  readonly policy: TrialPolicy;
  /**
   * Devices ever in the field on the trial's firmware, by any path: the cap counts these
   * (policy `trial.capCounts`; decisions log, 2026-11-22). The name is kept from when 8.1.1 was
   * the only way in.
   */
  readonly commissioned: Eui[];
  /** When and by which path each device first came onto the trial's firmware in the field. */
  readonly joined: Map<Eui, { readonly at: number; readonly via: TrialJoinPath }>;
  /** Slots held by commands (8.1.1, 11.3) accepted but not yet answered by the device. */
  readonly reserved: Set<string>;
  /** Devices that left the trial by an upgrade to CPA-certified firmware, with when. */
  readonly upgraded: Map<Eui, number>;
  /** Devices removed (decommissioned) while on trial, with when. */
  readonly removed: Map<Eui, number>;
  /** Devices that moved on to another trial's firmware: when, and to which trial. */
  readonly moved: Map<Eui, { readonly at: number; readonly toTrial: string }>;
  /**
   * Devices found running the trial's firmware with no slot left (policy `trial.overCapDiscovery`):
   * Suspended and reported, never counted as if within the cap.
   */
  readonly overCap: Map<Eui, number>;
  /** Every SSC action and sponsor event, in order. */
  readonly actions: TrialAction[];
  /** When the SSC withdrew the trial, if it did. */
  withdrawnAt: number | undefined;
  ended: boolean;
}

export function trialEnd(start: number, policy: TrialPolicy): number {
  return addMonths(start, policy.durationMonths);
}

export type TrialRefusal = { readonly rule: string; readonly reason: string };

/**
 * TRIALS.md "Limits": the cap and the window are hard limits enforced by the DCC side, for every
 * path onto a trial's firmware (8.1.1, 11.3), not only commissioning.
 */
export function checkTrialCommissioning(trial: Trial, now: number): TrialRefusal | undefined {
  if (now < trial.start) {
    return {
      rule: 'TRIAL-WINDOW',
      reason: `trial ${trial.trialId} has not started (starts ${new Date(trial.start).toISOString()})`,
    };
  }
  if (trial.withdrawnAt !== undefined) {
    return {
      rule: 'TRIAL-WITHDRAWN',
      reason: `the SSC withdrew trial ${trial.trialId} on ${new Date(trial.withdrawnAt).toISOString()}: no device may join it`,
    };
  }
  if (now >= trial.end || trial.ended) {
    return {
      rule: 'TRIAL-WINDOW',
      reason: `trial ${trial.trialId} ended ${new Date(trial.end).toISOString()}: no device may join it`,
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
