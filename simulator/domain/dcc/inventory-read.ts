import { type CplStatus, cplStatusFor } from '../cpl/cpl-entry.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { DccState } from './dcc-state.js';

const STATUS_RANK: Readonly<Record<CplStatus, number>> = {
  Active: 0,
  Expired: 1,
  Cancelled: 2,
  Withdrawn: 3,
};

/**
 * 8.2 Read Inventory: the SMI record with `CPLStatus` (the Device Model's best entry across
 * firmware versions) and `DeviceFirmwareVersionStatus` (the entry for the firmware it runs).
 */
export function readInventory(state: DccState, record: SmiRecord): Record<string, unknown> {
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
    networkOperator: record.networkOperator,
    CPLStatus: modelStatuses[0] ?? 'Withdrawn',
    DeviceFirmwareVersionStatus: cplStatusFor(state.cpl, record),
  };
}
