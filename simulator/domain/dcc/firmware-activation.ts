import type { SmiRecord } from '../smi/smi-record.js';
import type { DccEffect } from './dcc-effects.js';
import type { DccState } from './dcc-state.js';
import { applyCplRules } from './firmware-reconciliation.js';
import type { DeviceAlertHandler, DeviceResponseHandler } from './srv-handler.js';

/**
 * DCC.md §10 step 3: a successful 11.3 tells the DCC the new running version, so the SMI takes
 * it as an expected change — not a `FirmwareVersionMismatch`, which is for a device found to
 * disagree with the SMI (11.2) — and the CPL rules then suspend, restore, or end a trial.
 */
function activated(state: DccState, record: SmiRecord, version: unknown, now: number): DccEffect[] {
  if (typeof version !== 'string') return [];
  record.firmwareVersion = version;
  return applyCplRules(state, record, now, '11.3');
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
