import { findCplEntry, isTrialReference } from '../cpl/cpl-entry.js';
import type { Eui } from '../eui.js';
import type { SmiRecord } from '../smi/smi-record.js';
import { checkTrialCommissioning, type Trial } from '../trial/trial.js';
import type { Refusal } from './access-control.js';
import type { DccState, PendingCommand } from './dcc-state.js';

/** The trial a device belongs to, found through its Device Model's Trial CPA reference. */
export function trialOf(state: DccState, record: SmiRecord | undefined): Trial | undefined {
  if (record === undefined) return undefined;
  const entry = findCplEntry(state.cpl, record);
  if (entry === undefined || !isTrialReference(entry.cpaCertificateReference)) return undefined;
  for (const trial of state.trials.values()) {
    if (trial.cpaCertificateReference === entry.cpaCertificateReference) return trial;
  }
  return undefined;
}

/**
 * TRIALS.md "Limits": may this device be commissioned under its trial now? Checked at CV 4 and
 * again at CV 5, when a slot is reserved, so concurrent commissioning cannot overrun the cap.
 */
export function checkTrialSlot(
  state: DccState,
  record: SmiRecord | undefined,
  now: number,
): Refusal | undefined {
  const entry = record === undefined ? undefined : findCplEntry(state.cpl, record);
  if (record === undefined || entry === undefined || !isTrialReference(entry.cpaCertificateReference))
    return undefined;
  const trial = trialOf(state, record);
  if (trial === undefined) {
    return {
      ok: false,
      code: 'E5',
      rule: 'TRIAL-UNKNOWN',
      reason: `CPA reference ${entry.cpaCertificateReference} belongs to no approved trial`,
    };
  }
  if (trial.reserved.has(record.deviceId) || trial.commissioned.includes(record.deviceId)) return undefined;
  const refused = checkTrialCommissioning(trial, now);
  return refused === undefined
    ? undefined
    : { ok: false, code: 'E5', rule: refused.rule, reason: refused.reason };
}

export function reserveTrialSlot(state: DccState, record: SmiRecord | undefined): string | undefined {
  const trial = trialOf(state, record);
  if (trial === undefined || record === undefined) return undefined;
  trial.reserved.add(record.deviceId);
  return trial.trialId;
}

export function releaseTrialSlot(state: DccState, pending: PendingCommand): void {
  if (pending.trialReservation === undefined) return;
  state.trials.get(pending.trialReservation)?.reserved.delete(pending.device as Eui);
}
