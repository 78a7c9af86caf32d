import type { CplEntry, CplStatus } from '../cpl/cpl-entry.js';
import { isTrialReference, sameModel, TRIAL_REFERENCE_PREFIX } from '../cpl/cpl-entry.js';
import type { DeviceType } from '../device/device-types.js';
import type { Eui } from '../eui.js';
import {
  checkEligibility,
  type Trial,
  type TrialPolicy,
  type TrialRefusal,
  trialEnd,
} from '../trial/trial.js';
import type { DccEffect } from './dcc-effects.js';
import type { DccState } from './dcc-state.js';
import { applyCplRules } from './firmware-reconciliation.js';

/**
 * Changes made outside DUIS: SECAS maintains the CPL, the SSC approves trials. Scenarios drive
 * these directly ("the SSC approves a trial", "the new firmware gets its CPA certificate").
 */
export function addCplEntry(state: DccState, entry: CplEntry, now: number): DccEffect[] {
  const existing = state.cpl.findIndex((e) => sameModel(e, entry));
  if (existing >= 0) state.cpl.splice(existing, 1, entry);
  else state.cpl.push(entry);
  return reapplyCplRules(state, now);
}

export function setCplStatus(
  state: DccState,
  match: (entry: CplEntry) => boolean,
  status: CplStatus,
  now: number,
): DccEffect[] {
  let changed = 0;
  for (const entry of state.cpl) {
    if (match(entry)) {
      entry.status = status;
      changed++;
    }
  }
  if (changed === 0) {
    const references = [...new Set(state.cpl.map((e) => e.cpaCertificateReference))].join(', ');
    throw new RangeError(`no CPL entry matches (the CPL holds references ${references || 'none'})`);
  }
  return reapplyCplRules(state, now);
}

/** A CPL change can suspend or restore installed devices (DCC.md §4). */
function reapplyCplRules(state: DccState, now: number): DccEffect[] {
  const effects: DccEffect[] = [];
  for (const record of state.smi.values()) {
    if (record.status === 'Commissioned' || record.status === 'Suspended') {
      effects.push(...applyCplRules(state, record, now));
    }
  }
  return effects;
}

export interface TrialApproval {
  readonly trialId: string;
  readonly cpaCertificateReference: string;
  readonly manufacturer: string;
  readonly deviceType: DeviceType;
  readonly sponsor: Eui;
  readonly start: number;
  readonly policy: TrialPolicy;
}

/** The SSC approves a trial (TRIALS.md steps 1–4), subject to the eligibility mode. */
export function approveTrial(
  state: DccState,
  approval: TrialApproval,
): { ok: true; trial: Trial; effects: DccEffect[] } | ({ ok: false } & TrialRefusal) {
  if (state.trials.has(approval.trialId)) {
    return { ok: false, rule: 'TRIAL-DUPLICATE', reason: `trial ${approval.trialId} already exists` };
  }
  // TRIALS.md step 4: the SSC's "Trial" CPA reference is what marks the trial's CPL entries, so
  // it must read as one and belong to one trial only (trial-commissioning.ts finds the trial by it).
  if (!isTrialReference(approval.cpaCertificateReference)) {
    return {
      ok: false,
      rule: 'TRIAL-REFERENCE',
      reason: `${approval.cpaCertificateReference} is not a Trial CPA certificate reference (${TRIAL_REFERENCE_PREFIX}…)`,
    };
  }
  const sharing = [...state.trials.values()].find(
    (t) => t.cpaCertificateReference === approval.cpaCertificateReference,
  );
  if (sharing !== undefined) {
    return {
      ok: false,
      rule: 'TRIAL-DUPLICATE',
      reason: `${approval.cpaCertificateReference} already belongs to trial ${sharing.trialId}`,
    };
  }
  if (!Number.isInteger(approval.policy.maxDevices) || approval.policy.maxDevices < 1) {
    return { ok: false, rule: 'TRIAL-POLICY', reason: `maxDevices must be a whole number ≥ 1` };
  }
  const ineligible = checkEligibility(
    state.cpl,
    approval.manufacturer,
    approval.deviceType,
    approval.policy.eligibility,
  );
  if (ineligible !== undefined) return { ok: false, ...ineligible };
  const trial: Trial = {
    ...approval,
    end: trialEnd(approval.start, approval.policy),
    commissioned: [],
    reserved: new Set(),
    upgraded: new Map(),
    removed: new Map(),
    ended: false,
  };
  state.trials.set(trial.trialId, trial);
  return {
    ok: true,
    trial,
    effects: [{ type: 'schedule', at: trial.end, timer: { type: 'trialEnd', trialId: trial.trialId } }],
  };
}

/**
 * TRIALS.md "End of trial" (trialsim's modelling decision): the Trial CPL entries expire, so
 * devices still on trial firmware become Suspended (`DeviceSuspended`) and are overdue until
 * upgraded or removed.
 */
export function endTrial(state: DccState, trialId: string, now: number): DccEffect[] {
  const trial = state.trials.get(trialId);
  if (trial === undefined || trial.ended) return [];
  trial.ended = true;
  for (const entry of state.cpl) {
    if (entry.cpaCertificateReference === trial.cpaCertificateReference && entry.status === 'Active') {
      entry.status = 'Expired';
    }
  }
  return reapplyCplRules(state, now);
}
