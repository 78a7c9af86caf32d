import type { Eui } from '../eui.js';
import { applyTransition } from '../smi/smi-record.js';
import { applyCplRules, reconcileFirmware } from './firmware-reconciliation.js';
import type { DeviceResponseHandler } from './srv-handler.js';

/** 8.1.1 answered: Commissioned in the SMI; a trial device takes its trial slot for good. */
export const commissioned: DeviceResponseHandler = (state, _pending, _payload, record, now) => {
  // A second 8.1.1 for the same device can be in flight; only the one that commissions it counts.
  if (!applyTransition(record, '8.1.1', now)) return [];
  // Its slot was reserved at CV 5 (trial-commissioning.ts); the membership rule now counts it.
  return applyCplRules(state, record, now, '8.1.1');
};

/** 8.11 answered by the CHF: the joining device is Whitelisted on that comms hub. */
export const deviceLogUpdated: DeviceResponseHandler = (state, pending, _payload, _record, now) => {
  const joined = state.smi.get(String(pending.body.deviceId).toUpperCase() as Eui);
  if (joined !== undefined && pending.body.action === 'add' && applyTransition(joined, '8.11 add', now)) {
    joined.chfId = pending.device;
  }
  return [];
};

/** 11.2 (and a successful 11.3) report the running firmware: reconcile SMI and CPL. */
export const firmwareReported: DeviceResponseHandler = (state, _pending, payload, record, now) =>
  typeof payload.body.firmwareVersion === 'string'
    ? reconcileFirmware(state, record, payload.body.firmwareVersion, now)
    : [];
