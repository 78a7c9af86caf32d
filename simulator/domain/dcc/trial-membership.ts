import { type DeviceModelKey, findCplEntry, isTrialReference } from '../cpl/cpl-entry.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { Trial, TrialJoinPath } from '../trial/trial.js';
import type { DccState } from './dcc-state.js';

/**
 * The one rule of trial membership (policy `trial.membership`): a device is a trial device while
 * the CPL entry for its model, hardware version and running firmware carries a Trial CPA
 * reference (TRIALS.md step 4: the CPL format does not change, so the reference is the only mark).
 * However the device got that firmware — commissioned with it, 11.3, pre-installed, reported by
 * 11.2, or moved on from another trial's firmware — the cap, the SSC report, the DNO list and the
 * OPR exclusion all follow from this function and `syncTrialMembership`.
 */

/** The approved trial whose Trial CPA reference marks this Device Model's CPL entry, if any. */
export function trialOfModel(state: DccState, key: DeviceModelKey): Trial | undefined {
  const entry = findCplEntry(state.cpl, key);
  if (entry === undefined || !isTrialReference(entry.cpaCertificateReference)) return undefined;
  return trialByReference(state, entry.cpaCertificateReference);
}

export function trialByReference(state: DccState, reference: string): Trial | undefined {
  for (const trial of state.trials.values()) {
    if (trial.cpaCertificateReference === reference) return trial;
  }
  return undefined;
}

/**
 * The trial an SR outcome belongs to, for the OPR exclusion: the trial that counts the device, or
 * else the one its firmware marks it for — from its first contact (12.2), so its failures while
 * being installed (an 8.1.1 ending in E21) stay out of the OPR basis too (TRIALS.md step 8).
 */
export function trialOfOutcome(state: DccState, record: SmiRecord): string | undefined {
  return record.trialId ?? trialOf(state, record)?.trialId;
}

/** The trial a device belongs to by the firmware it runs (as the SMI records it). */
export function trialOf(state: DccState, record: SmiRecord | undefined): Trial | undefined {
  return record === undefined ? undefined : trialOfModel(state, record);
}

/**
 * In the field: installed and commissioned at least once, not since removed. Only such a device
 * takes a trial slot and is reported to the SSC and the DNO; before that it is a trial device for
 * the OPR exclusion only (its failures while being installed do not count, TRIALS.md step 8).
 */
export function inField(record: SmiRecord): boolean {
  return (
    (record.status === 'Commissioned' || record.status === 'Suspended') &&
    record.history.some((h) => h.to === 'Commissioned')
  );
}

/** Slots a trial has given or promised: devices ever on its firmware plus commands in flight. */
export function slotsUsed(trial: Trial): number {
  return trial.commissioned.length + trial.reserved.size;
}

/** True if the device runs its trial's firmware without a slot (policy `trial.overCapDiscovery`). */
export function isOverCap(state: DccState, record: SmiRecord): boolean {
  const trial = record.trialId === undefined ? undefined : state.trials.get(record.trialId);
  return trial?.overCap.has(record.deviceId) ?? false;
}

/**
 * Brings the trials' books in line with the firmware the SMI says a device runs. Called wherever
 * that can change: 12.2, 8.1.1, 11.3 (immediate or future-dated), 11.2 reconciliation, a CPL
 * change, a trial's approval. `via` names the path for the SSC report.
 *
 * - Joining: an in-field device on a trial's firmware that the trial has not counted takes a
 *   slot. The command paths (8.1.1, 11.3) were refused beforehand if no slot was free, so here a
 *   full cap can only meet a device found by a report (11.2) or a CPL change: it is recorded as
 *   over the cap and Suspended by `applyCplRules`, never left uncounted.
 * - Leaving: onto CPA-certified firmware with an Active entry is an upgrade; onto another trial's
 *   firmware is a move (both trials report it). Onto firmware with no usable entry the device
 *   stays with its trial: it still has to be upgraded or removed.
 * - Returning (a downgrade back to the trial's firmware) re-enters the trial in the slot it held.
 */
export function syncTrialMembership(
  state: DccState,
  record: SmiRecord,
  now: number,
  via: TrialJoinPath,
): void {
  // Before it is in the field a device takes no slot and is in no report; `trialOfOutcome` still
  // finds its trial by its firmware for the OPR exclusion. After removal its books are closed.
  if (!inField(record)) return;
  const entry = findCplEntry(state.cpl, record);
  const trial = trialOf(state, record);
  const previous = record.trialId === undefined ? undefined : state.trials.get(record.trialId);
  const device = record.deviceId;
  if (previous !== undefined && previous !== trial) {
    const certified =
      entry !== undefined && entry.status === 'Active' && !isTrialReference(entry.cpaCertificateReference);
    if (trial === undefined && !certified) return;
    previous.overCap.delete(device);
    if (previous.commissioned.includes(device)) {
      if (trial !== undefined) previous.moved.set(device, { at: now, toTrial: trial.trialId });
      else previous.upgraded.set(device, now);
    }
  }
  record.trialId = trial?.trialId;
  if (trial === undefined) return;
  if (trial.commissioned.includes(device)) {
    // Back on this trial's firmware after an upgrade or a move: it holds its old slot.
    trial.upgraded.delete(device);
    trial.moved.delete(device);
    return;
  }
  if (trial.overCap.has(device)) return;
  const held = trial.reserved.delete(device);
  if (!held && slotsUsed(trial) >= trial.policy.maxDevices) {
    trial.overCap.set(device, now);
    return;
  }
  trial.commissioned.push(device);
  trial.joined.set(device, { at: now, via });
}
