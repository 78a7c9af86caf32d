import type { DeviceType } from '../device/device-types.js';
import type { Eui } from '../eui.js';
import { canTransition, SMI_TRANSITIONS, type SmiStatus } from './smi-status.js';

/** One Smart Metering Inventory entry (DCC.md §4), with its status history for the evidence. */
export interface SmiRecord {
  readonly deviceId: Eui;
  readonly deviceType: DeviceType;
  readonly manufacturer: string;
  readonly model: string;
  readonly hardwareVersion: string;
  firmwareVersion: string;
  /** `null` for Type 2 devices, which have no SMI status. */
  status: SmiStatus | null;
  /** The comms hub (CHF) this device is whitelisted on. */
  chfId: Eui | undefined;
  /** The supplier registered for the device now; it answers for it, trial obligations included. */
  supplier: Eui;
  networkOperator: Eui | undefined;
  /** Set when commissioned under a trial; cleared when upgraded to CPA-certified firmware. */
  trialId: string | undefined;
  readonly history: SmiHistoryEntry[];
}

export interface SmiHistoryEntry {
  readonly at: number;
  readonly from: SmiStatus | null;
  readonly to: SmiStatus;
  /** The SRV or DCC rule that moved the device (a key of SMI_TRANSITIONS). */
  readonly cause: string;
}

/**
 * Moves a record along an allowed transition, recording why. Returns false (and changes
 * nothing) if the table does not allow it: the DCC never writes a status the table forbids.
 */
export function applyTransition(record: SmiRecord, cause: string, at: number): boolean {
  if (record.status === null || !canTransition(cause, record.status)) return false;
  const to = SMI_TRANSITIONS[cause]?.to as SmiStatus;
  record.history.push({ at, from: record.status, to, cause });
  record.status = to;
  return true;
}
