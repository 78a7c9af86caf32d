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
 * May this device be commissioned (8.1.1) now? Checked at CV 4 and again at CV 5, when a trial
 * slot is reserved, so concurrent commissioning cannot overrun a cap.
 * - DCC.md §5: only a Device Model with an Active CPL entry is commissioned (CPL-NOT-LISTED).
 * - TRIALS.md "Limits": a trial device only inside its trial's window (TRIAL-WINDOW) and cap
 *   (TRIAL-CAP), checked before the CPL status so a trial that ended (its entry now Expired)
 *   says so; TRIALS.md step 5: by the trial's sponsor, who provides the premises (TRIAL-SPONSOR).
 */
export function checkTrialSlot(
  state: DccState,
  record: SmiRecord | undefined,
  now: number,
  user?: Eui,
): Refusal | undefined {
  if (record === undefined) return undefined;
  const entry = findCplEntry(state.cpl, record);
  if (entry !== undefined && isTrialReference(entry.cpaCertificateReference)) {
    const refused = checkTrialDevice(state, record, entry.cpaCertificateReference, now, user);
    if (refused !== undefined) return refused;
  }
  if (entry === undefined || entry.status !== 'Active') {
    return {
      ok: false,
      code: 'E5',
      rule: 'CPL-NOT-LISTED',
      reason: `Device Model ${record.manufacturer} ${record.model} hw ${record.hardwareVersion} fw ${record.firmwareVersion} has ${entry === undefined ? 'no CPL entry' : `a ${entry.status} CPL entry`}: it cannot be commissioned`,
    };
  }
  return undefined;
}

function checkTrialDevice(
  state: DccState,
  record: SmiRecord,
  reference: string,
  now: number,
  user: Eui | undefined,
): Refusal | undefined {
  const trial = trialOf(state, record);
  if (trial === undefined) {
    return {
      ok: false,
      code: 'E5',
      rule: 'TRIAL-UNKNOWN',
      reason: `CPA reference ${reference} belongs to no approved trial`,
    };
  }
  if (user !== undefined && user !== trial.sponsor) {
    return {
      ok: false,
      code: 'E4',
      rule: 'TRIAL-SPONSOR',
      reason: `trial ${trial.trialId} devices are commissioned by its sponsor ${trial.sponsor}, not ${user}`,
    };
  }
  if (trial.commissioned.includes(record.deviceId)) return undefined;
  const refused = checkTrialCommissioning(trial, now);
  if (refused === undefined) return undefined;
  // A device whose slot is held (a command in flight, or one that ended in E21 — it may have run)
  // is already counted in the cap; only the window can refuse it (test/integration/reliability).
  if (refused.rule === 'TRIAL-CAP' && trial.reserved.has(record.deviceId)) return undefined;
  return { ok: false, code: 'E5', rule: refused.rule, reason: refused.reason };
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
