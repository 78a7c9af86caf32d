import { findCplEntry } from '../cpl/cpl-entry.js';
import type { SmiRecord } from '../smi/smi-record.js';
import { applyTransition } from '../smi/smi-record.js';
import type { TrialJoinPath } from '../trial/trial.js';
import type { DccEffect } from './dcc-effects.js';
import type { DccState } from './dcc-state.js';
import { isOverCap, syncTrialMembership } from './trial-membership.js';

/**
 * DCC.md §10 step 3 and §4: the device's (model, firmware) must have an Active CPL entry. Leaving
 * it suspends the device (`DeviceSuspended`); returning restores it (`DeviceRestored`). Trial
 * membership follows the firmware first (trial-membership.ts): a device on a trial's firmware
 * with no slot left is suspended too (TRIAL-CAP), and one now on CPA-certified firmware has left
 * its trial (TRIALS.md, end of trial).
 */
export function applyCplRules(
  state: DccState,
  record: SmiRecord,
  now: number,
  via: TrialJoinPath = 'cpl',
): DccEffect[] {
  syncTrialMembership(state, record, now, via);
  const effects: DccEffect[] = [];
  const entry = findCplEntry(state.cpl, record);
  const overCap = isOverCap(state, record);
  const active = entry?.status === 'Active' && !overCap;
  if (record.status === 'Commissioned' && !active) {
    if (applyTransition(record, 'DeviceSuspended', now)) {
      effects.push(
        alertToSupplier(record, 'DeviceSuspended', now, {
          reason: overCap
            ? `TRIAL-CAP: trial ${record.trialId} is at its cap of ${state.trials.get(record.trialId ?? '')?.policy.maxDevices} devices`
            : entry === undefined
              ? 'model/firmware not on the CPL'
              : `CPL entry is ${entry.status}`,
        }),
      );
    }
  } else if (record.status === 'Suspended' && active) {
    if (applyTransition(record, 'DeviceRestored', now)) {
      effects.push(alertToSupplier(record, 'DeviceRestored', now, {}));
    }
  }
  return effects;
}

export function alertToSupplier(
  record: SmiRecord,
  alert:
    | 'DeviceSuspended'
    | 'DeviceRestored'
    | 'FirmwareVersionMismatch'
    | 'MeterDecommissioningOrWithdrawal',
  now: number,
  details: Record<string, unknown>,
): DccEffect {
  return {
    type: 'dccAlert',
    user: record.supplier,
    message: { alert, deviceId: record.deviceId, raisedAt: now, details },
  };
}

/** After a device reports its running firmware (11.2, or a successful 11.3). */
export function reconcileFirmware(
  state: DccState,
  record: SmiRecord,
  deviceVersion: string,
  now: number,
): DccEffect[] {
  const effects: DccEffect[] = [];
  if (deviceVersion !== record.firmwareVersion) {
    effects.push(
      alertToSupplier(record, 'FirmwareVersionMismatch', now, {
        smiVersion: record.firmwareVersion,
        deviceVersion,
      }),
    );
    record.firmwareVersion = deviceVersion;
  }
  return [...effects, ...applyCplRules(state, record, now, '11.2')];
}
