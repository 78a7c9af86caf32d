import type { SmiRecord } from '../smi/smi-record.js';
import type { TrialJoinPath } from '../trial/trial.js';
import type { DccEffect } from './dcc-effects.js';
import type { DccState } from './dcc-state.js';
import { applyCplRules } from './firmware-reconciliation.js';
import type { DeviceAlertHandler, DeviceResponseHandler } from './srv-handler.js';

/**
 * DCC.md §10 step 3: a successful 11.3 tells the DCC the new running version, so the SMI takes
 * it as an expected change — not a `FirmwareVersionMismatch`, which is for a device found to
 * disagree with the SMI (11.2) — and the CPL rules then suspend, restore, or end a trial.
 */
function activated(
  state: DccState,
  record: SmiRecord,
  version: unknown,
  now: number,
  via: TrialJoinPath = '11.3',
): DccEffect[] {
  if (typeof version !== 'string') return [];
  record.firmwareVersion = version;
  return applyCplRules(state, record, now, via);
}

/** An immediate 11.3 answered `success` with the running `firmwareVersion`. */
export const firmwareActivated: DeviceResponseHandler = (state, _pending, payload, record, now) =>
  activated(state, record, payload.body.firmwareVersion, now);

/** 0x8F66: a future-dated 11.3 was carried out; the alert names the running version. */
export const futureDatedActivationDone: DeviceAlertHandler = (state, device, payload, now) => {
  const record = state.smi.get(device);
  if (record === undefined || payload.body.status !== 'success') return [];
  return activated(state, record, payload.body.firmwareVersion, now);
};

/**
 * 0x8F43, change in executing firmware version (DCC.md §3): the device's own word that it now
 * runs other firmware, raised by every activation, immediate or future-dated (so it may arrive
 * before the 11.3 response or the 0x8F66, or without them when those are lost: E21). The SMI
 * takes the new version as an announced change, like a successful 11.3 (a disagreement found by
 * reading the device stays 11.2's FirmwareVersionMismatch), and trial membership follows at once:
 * a device on a trial's firmware is counted, or found over the cap and Suspended, from the moment
 * it says so (trial-membership.ts), not only at the next 11.2.
 */
export const executingFirmwareChanged: DeviceAlertHandler = (state, device, payload, now) => {
  const record = state.smi.get(device);
  if (record === undefined || payload.body.firmwareVersion === record.firmwareVersion) return [];
  // Asked for by an 11.3 still in flight, or by a future-dated one whose trial slot is held.
  const asked =
    [...state.pending.values()].some((p) => p.device === device && p.srv === '11.3') ||
    [...state.trials.values()].some((t) => t.reserved.has(device));
  return activated(state, record, payload.body.firmwareVersion, now, asked ? '11.3' : '0x8F43');
};
