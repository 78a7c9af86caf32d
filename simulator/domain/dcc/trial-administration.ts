import type { CplEntry, CplStatus } from '../cpl/cpl-entry.js';
import { sameModel } from '../cpl/cpl-entry.js';
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
  if (changed === 0) throw new RangeError('no CPL entry matches');
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
