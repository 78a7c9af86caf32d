import { type CplEntry, findCplEntry } from '../cpl/cpl-entry.js';
import { SUPPLIER_ROLES } from '../duis/user-roles.js';
import type { Eui } from '../eui.js';
import { registeredAt } from '../registration/registration.js';
import { applyTransition, type SmiRecord } from '../smi/smi-record.js';
import type { DccView } from './dcc-view.js';
import { alertToSupplier } from './firmware-reconciliation.js';
import { readInventory } from './inventory-read.js';
import type { NonDeviceHandler } from './srv-handler.js';

/** 12.2: adds the device to the SMI as Pending — only for a Device Model on the CPL (DCC.md §5). */
export const preNotify: NonDeviceHandler = (ctx) => {
  const { body, state, now } = ctx;
  const deviceId = body.deviceId as Eui;
  const user = ctx.admitted.user;
  if (!SUPPLIER_ROLES.includes(user.role) && user.role !== 'ES') {
    // DCC.md §2 lets every role send 12.2, but the sender becomes the device's registered
    // supplier: trialsim refuses a non-supplier rather than register it as one.
    return ctx.refuse(
      'E4',
      `${user.eui} (${user.role}) cannot become the registered supplier of ${deviceId}`,
    );
  }
  if (state.smi.has(deviceId)) return ctx.refuse('E5', `device ${deviceId} is already in the SMI`);
  const key = {
    manufacturer: String(body.manufacturer),
    model: String(body.model),
    hardwareVersion: hardwareVersionFor(state.cpl, body),
    firmwareVersion: String(body.firmwareVersion),
  };
  const entry = findCplEntry(state.cpl, key);
  if (entry !== undefined && entry.deviceType !== body.deviceType) {
    return ctx.refuse(
      'E12',
      `Device Model ${key.manufacturer} ${key.model} is on the CPL with device type ${entry.deviceType}, not ${String(body.deviceType)}`,
      'CPL-NOT-LISTED',
    );
  }
  if (entry === undefined || entry.status !== 'Active') {
    return ctx.refuse(
      'E12',
      `Device Model ${key.manufacturer} ${key.model} hw ${key.hardwareVersion} fw ${key.firmwareVersion} has ${entry === undefined ? 'no CPL entry' : `a ${entry.status} CPL entry`}`,
      'CPL-NOT-LISTED',
    );
  }
  const record: SmiRecord = {
    deviceId,
    deviceType: body.deviceType as SmiRecord['deviceType'],
    ...key,
    status: 'Pending',
    // DUIS 12.2 names no comms hub: the 8.11 that whitelists the device records it.
    chfId: undefined,
    supplier: ctx.admitted.user.eui,
    networkOperator: networkOperatorFor(state, deviceId, body, now),
    trialId: undefined,
    history: [{ at: now, from: null, to: 'Pending', cause: '12.2' }],
  };
  state.smi.set(deviceId, record);
  return ctx.ok({ status: 'Pending' });
};

/**
 * DUIS 12.2 names no network operator: the real DCC has it from the registration data of the
 * device's metering point (DUIS.md §4.1). trialsim's own body may still name one, for a DCC the
 * registration feed has told nothing about the device.
 */
function networkOperatorFor(
  state: DccView,
  deviceId: Eui,
  body: Record<string, unknown>,
  now: number,
): Eui | undefined {
  return (
    registeredAt(state.registration, deviceId, 'networkOperator', now)?.party ??
    (body.networkOperator as Eui | undefined)
  );
}

/**
 * DUIS 12.2 names no hardware version: the DCC takes it from the CPL's Device Model
 * (manufacturer, model, firmware version, device type), preferring an Active entry, the first in
 * CPL order where several hardware versions are listed (DUIS.md §4.1; ota-hardware-mismatch
 * relies on that order). trialsim's own bodies may still name one, which then wins.
 */
function hardwareVersionFor(cpl: readonly CplEntry[], body: Record<string, unknown>): string {
  if (typeof body.hardwareVersion === 'string') return body.hardwareVersion;
  const candidates = cpl.filter(
    (e) =>
      e.manufacturer === body.manufacturer &&
      e.model === body.model &&
      e.firmwareVersion === body.firmwareVersion &&
      e.deviceType === body.deviceType,
  );
  return (candidates.find((e) => e.status === 'Active') ?? candidates[0])?.hardwareVersion ?? 'unknown';
}

/** 8.2 Read Inventory. */
export const readInventoryHandler: NonDeviceHandler = (ctx) =>
  ctx.ok(readInventory(ctx.state, ctx.admitted.record as SmiRecord, ctx.now));

/** 8.4: a User may set a non-CH device to Pending or InstalledNotCommissioned only (DCC.md §2). */
export const updateInventory: NonDeviceHandler = (ctx) => {
  const record = ctx.admitted.record as SmiRecord;
  const from = record.status;
  if (!applyTransition(record, `8.4 ${String(ctx.body.status)}`, ctx.now)) {
    return ctx.refuse('E5', `8.4 cannot move ${record.deviceId} from ${from} to ${String(ctx.body.status)}`);
  }
  return ctx.ok({ status: record.status });
};

/** 8.3: decommissioned in the SMI; a trial device counts as removed from its trial. */
export const decommission: NonDeviceHandler = (ctx) => {
  const record = ctx.admitted.record as SmiRecord;
  applyTransition(record, '8.3', ctx.now);
  // Only a device the trial counted (in the field on its firmware) is removed from it.
  const trial = record.trialId === undefined ? undefined : ctx.state.trials.get(record.trialId);
  if (trial?.commissioned.includes(record.deviceId) || trial?.overCap.has(record.deviceId))
    trial.removed.set(record.deviceId, ctx.now);
  return ctx.ok({ status: record.status }, [
    alertToSupplier(record, 'MeterDecommissioningOrWithdrawal', ctx.now, {
      reason: '8.3 Decommission Device',
    }),
    // The device is told too, so it refuses operational commands itself (decommission-notice.ts).
    ...(ctx.sendFollowUp(record.deviceId, {}) ?? []),
  ]);
};

/** 8.14.x: the comms hub's status at install or return; the SMI transition table decides. */
export const commsHubStatusUpdate: NonDeviceHandler = (ctx) => {
  const record = ctx.admitted.record as SmiRecord;
  const from = record.status;
  if (!applyTransition(record, ctx.admitted.def.srv, ctx.now)) {
    return ctx.refuse('E5', `${ctx.admitted.def.srv} cannot move comms hub ${record.deviceId} from ${from}`);
  }
  return ctx.ok({ status: record.status });
};
