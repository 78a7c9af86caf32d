import { addMonths } from '../../time/durations.js';
import type { CplEntry, CplStatus } from '../cpl/cpl-entry.js';
import { findCplEntry, isTrialReference, sameModel, TRIAL_REFERENCE_PREFIX } from '../cpl/cpl-entry.js';
import type { DeviceType } from '../device/device-types.js';
import type { Eui } from '../eui.js';
import type { SmiRecord } from '../smi/smi-record.js';
import {
  checkEligibility,
  type Trial,
  type TrialJoinPath,
  type TrialPolicy,
  type TrialRefusal,
  trialEnd,
} from '../trial/trial.js';
import type { DccEffect } from './dcc-effects.js';
import type { DccState } from './dcc-state.js';
import { applyCplRules } from './firmware-reconciliation.js';
import { inField, syncTrialMembership } from './trial-membership.js';

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

/**
 * A CPL change can suspend or restore installed devices (DCC.md §4), and move devices onto or off
 * a trial (trial-membership.ts): every record is brought in line, installed or not yet.
 */
function reapplyCplRules(state: DccState, now: number, via: TrialJoinPath = 'cpl'): DccEffect[] {
  const effects: DccEffect[] = [];
  for (const record of state.smi.values()) {
    if (record.status === 'Commissioned' || record.status === 'Suspended') {
      effects.push(...applyCplRules(state, record, now, joinPathOf(record, via)));
    } else {
      syncTrialMembership(state, record, now, via);
    }
  }
  return effects;
}

/** A device that was in the SMI before its trial was approved came in pre-installed or by 8.1.1. */
function joinPathOf(record: SmiRecord, via: TrialJoinPath): TrialJoinPath {
  if (via !== 'approval') return via;
  return record.history.some((h) => h.cause === 'preinstalled') ? 'preinstalled' : via;
}

export interface TrialApproval {
  readonly trialId: string;
  readonly cpaCertificateReference: string;
  readonly manufacturer: string;
  readonly deviceType: DeviceType;
  readonly sponsor: Eui;
  readonly start: number;
  readonly policy: TrialPolicy;
  /** When the SSC approves (default: the start); eligibility is judged against the CPL then. */
  readonly approvedAt?: number;
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
  // Devices already in the field on the trial's firmware (pre-installed with it) join at once:
  // more of them than the cap allows is a cap exceeded by the pre-installation path.
  const already = [...state.smi.values()].filter(
    (r) =>
      inField(r) && findCplEntry(state.cpl, r)?.cpaCertificateReference === approval.cpaCertificateReference,
  );
  if (already.length > approval.policy.maxDevices) {
    return {
      ok: false,
      rule: 'TRIAL-CAP',
      reason: `${already.length} devices are already in the field on ${approval.cpaCertificateReference} firmware; the cap is ${approval.policy.maxDevices}`,
    };
  }
  const at = approval.approvedAt ?? approval.start;
  const trial: Trial = {
    ...approval,
    end: trialEnd(approval.start, approval.policy),
    commissioned: [],
    joined: new Map(),
    reserved: new Set(),
    upgraded: new Map(),
    removed: new Map(),
    moved: new Map(),
    overCap: new Map(),
    actions: [
      {
        at,
        action: 'approved',
        detail: `approved for ${approval.policy.maxDevices} devices, ${approval.policy.durationMonths} months from ${isoDay(approval.start)} (eligibility ${approval.policy.eligibility})`,
      },
    ],
    withdrawnAt: undefined,
    ended: false,
  };
  state.trials.set(trial.trialId, trial);
  const effects = reapplyCplRules(state, at, 'approval');
  return {
    ok: true,
    trial,
    effects: [
      ...effects,
      { type: 'schedule', at: trial.end, timer: { type: 'trialEnd', trialId: trial.trialId } },
    ],
  };
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export type SscActionOutcome =
  | { readonly ok: true; readonly effects: DccEffect[] }
  | ({ readonly ok: false } & TrialRefusal);

function runningTrial(state: DccState, trialId: string, now: number, what: string): Trial | TrialRefusal {
  const trial = state.trials.get(trialId);
  if (trial === undefined) {
    const known = [...state.trials.keys()].join(', ') || 'none';
    return { rule: 'TRIAL-UNKNOWN', reason: `no trial ${trialId} to ${what} (trials: ${known})` };
  }
  if (trial.withdrawnAt !== undefined) {
    return {
      rule: 'TRIAL-WITHDRAWN',
      reason: `trial ${trialId} was withdrawn on ${isoDay(trial.withdrawnAt)}`,
    };
  }
  if (trial.ended || now >= trial.end) {
    return {
      rule: 'TRIAL-WINDOW',
      reason: `trial ${trialId} ended on ${isoDay(trial.end)}: it cannot be ${what}ed`,
    };
  }
  return trial;
}

/**
 * The SSC extends a running trial by whole months (end clamped to the end of a shorter month).
 * Its end timer is rescheduled; the old one finds the trial not yet due and does nothing. The
 * total length is capped by policy `trial.extensionLimitMonths` (TRIAL-EXTENSION).
 */
export function extendTrial(state: DccState, trialId: string, months: number, now: number): SscActionOutcome {
  const trial = runningTrial(state, trialId, now, 'extend');
  if (!('trialId' in trial)) return { ok: false, ...trial };
  if (!Number.isInteger(months) || months < 1) {
    return {
      ok: false,
      rule: 'TRIAL-EXTENSION',
      reason: `an extension is a whole number of months ≥ 1, not ${months}`,
    };
  }
  const limit = state.policy['trial.extensionLimitMonths'] as number;
  const end = addMonths(trial.end, months);
  if (end > addMonths(trial.start, limit)) {
    return {
      ok: false,
      rule: 'TRIAL-EXTENSION',
      reason: `extending ${trialId} by ${months} months would make it longer than ${limit} months (policy trial.extensionLimitMonths)`,
    };
  }
  const before = trial.end;
  trial.end = end;
  trial.actions.push({
    at: now,
    action: 'extended',
    detail: `extended by ${months} months: ends ${isoDay(end)} instead of ${isoDay(before)}`,
  });
  return { ok: true, effects: [{ type: 'schedule', at: end, timer: { type: 'trialEnd', trialId } }] };
}

/**
 * The SSC withdraws a running trial (policy `trial.withdrawalConsequence`): its CPL entries become
 * Withdrawn, so its devices are Suspended (DeviceSuspended) and are due for upgrade or removal in
 * the SSC report from now; no device may join it any more (TRIAL-WITHDRAWN).
 */
export function withdrawTrial(
  state: DccState,
  trialId: string,
  reason: string,
  now: number,
): SscActionOutcome {
  const trial = runningTrial(state, trialId, now, 'withdraw');
  if (!('trialId' in trial)) return { ok: false, ...trial };
  trial.withdrawnAt = now;
  trial.actions.push({ at: now, action: 'withdrawn', detail: reason });
  for (const entry of state.cpl) {
    if (entry.cpaCertificateReference === trial.cpaCertificateReference) entry.status = 'Withdrawn';
  }
  return { ok: true, effects: reapplyCplRules(state, now) };
}

/**
 * The trial's sponsor failed and a Supplier of Last Resort took over its consumers (TRIALS.md
 * "Change of Supplier during a trial"): the SSC report shows it on every trial it sponsored.
 */
export function noteSponsorFailure(state: DccState, failed: Eui, lastResort: Eui, at: number): void {
  for (const trial of state.trials.values()) {
    if (trial.sponsor !== failed) continue;
    trial.actions.push({
      at,
      action: 'sponsorFailed',
      detail: `sponsor ${failed} failed; Supplier of Last Resort ${lastResort} took over its consumers`,
    });
  }
}

/**
 * TRIALS.md "End of trial" (trialsim's modelling decision): the Trial CPL entries expire, so
 * devices still on trial firmware become Suspended (`DeviceSuspended`) and are overdue until
 * upgraded or removed.
 */
export function endTrial(state: DccState, trialId: string, now: number): DccEffect[] {
  const trial = state.trials.get(trialId);
  // An extension reschedules the end; the timer set for the old end finds the trial not yet due.
  if (trial === undefined || trial.ended || now < trial.end) return [];
  trial.ended = true;
  trial.actions.push({ at: now, action: 'ended', detail: `trial window ended ${isoDay(trial.end)}` });
  for (const entry of state.cpl) {
    if (entry.cpaCertificateReference === trial.cpaCertificateReference && entry.status === 'Active') {
      entry.status = 'Expired';
    }
  }
  return reapplyCplRules(state, now);
}
