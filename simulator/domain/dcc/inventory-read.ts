import { type CplStatus, cplStatusFor } from '../cpl/cpl-entry.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { DccState } from './dcc-state.js';
import { registeredParty } from './registered-parties.js';

const STATUS_RANK: Readonly<Record<CplStatus, number>> = {
  Active: 0,
  Expired: 1,
  Cancelled: 2,
  Withdrawn: 3,
};

/**
 * 8.2 Read Inventory: the SMI record with `CPLStatus` and `DeviceFirmwareVersionStatus`
 * (DCC.md §5). Their exact DUIS semantics are UNCONFIRMED; trialsim's reading: `CPLStatus` is
 * the Device Model's (manufacturer, model, hardware version) best entry across firmware versions
 * — is the product on the CPL at all — and `DeviceFirmwareVersionStatus` the entry of the
 * firmware the SMI says it runs. "No entry" reads as `Withdrawn`. Trial entries read like any
 * other: the CPL format does not change (TRIALS.md step 4).
 */
export function readInventory(state: DccState, record: SmiRecord, now: number): Record<string, unknown> {
  const modelStatuses = state.cpl
    .filter(
      (e) =>
        e.manufacturer === record.manufacturer &&
        e.model === record.model &&
        e.hardwareVersion === record.hardwareVersion,
    )
    .map((e) => e.status)
    .sort((a, b) => STATUS_RANK[a] - STATUS_RANK[b]);
  return {
    deviceId: record.deviceId,
    deviceType: record.deviceType,
    manufacturer: record.manufacturer,
    model: record.model,
    hardwareVersion: record.hardwareVersion,
    firmwareVersion: record.firmwareVersion,
    status: record.status,
    chfId: record.chfId,
    supplier: record.supplier,
    // The registration data as of now: a network operator registered from a later date takes over
    // the day it starts, with no SR to mark the moment (CHURN.md).
    networkOperator: registeredParty(state, record, 'networkOperator', now) ?? record.networkOperator,
    CPLStatus: modelStatuses[0] ?? 'Withdrawn',
    DeviceFirmwareVersionStatus: cplStatusFor(state.cpl, record),
  };
}
