import type { DccState } from '../dcc/dcc-state.js';
import { registeredParty } from '../dcc/registered-parties.js';
import type { Eui } from '../eui.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { SmiStatus } from '../smi/smi-status.js';
import type { Trial } from '../trial/trial.js';

/**
 * Where a trial device stood at a virtual instant, rebuilt from the SMI status history, the
 * registration data and the trial's upgrade/removal dates, so a report "as of" any date after the
 * fact is still right. The responsible supplier is the one registered at that instant (TRIALS.md:
 * after a Change of Supplier the gaining supplier answers for the device, end-of-trial duties
 * included); once the CoS completes it is also `SmiRecord.supplier`. The firmware version has no
 * history in the SMI record: reports give its value now.
 */
export type TrialDeviceState = 'inField' | 'overdue' | 'upgraded' | 'removed';

export interface TrialDeviceAsOf {
  readonly record: SmiRecord;
  readonly state: TrialDeviceState;
  /** The supplier registered (responsible) at `asOf`. */
  readonly supplier: Eui;
  /** The network operator registered at `asOf`, if any. */
  readonly networkOperator: Eui | undefined;
  readonly smiStatus: SmiStatus | null;
  readonly commissionedAt: number;
  readonly upgradedAt: number | null;
  readonly removedAt: number | null;
}

/** The SMI status a record had at `asOf` (null before it entered the SMI, or for Type 2). */
export function statusAsOf(record: SmiRecord, asOf: number): SmiStatus | null {
  let status: SmiStatus | null = null;
  for (const entry of record.history) {
    if (entry.at > asOf) break;
    status = entry.to;
  }
  return status;
}

/** When the device was first commissioned (8.1.1), if it was. */
export function commissionedAt(record: SmiRecord): number | undefined {
  return record.history.find((entry) => entry.to === 'Commissioned' && entry.cause === '8.1.1')?.at;
}

/**
 * The trial's devices as of `asOf`: commissioned under it by then, with their state. TRIALS.md
 * "End of trial": once the end date has passed, a device neither upgraded nor removed is overdue.
 */
export function trialDevicesAsOf(state: DccState, trial: Trial, asOf: number): TrialDeviceAsOf[] {
  const devices: TrialDeviceAsOf[] = [];
  const seen = new Set<Eui>();
  for (const deviceId of trial.commissioned) {
    const record = state.smi.get(deviceId);
    if (record === undefined || seen.has(deviceId)) continue;
    seen.add(deviceId);
    const at = commissionedAt(record);
    if (at === undefined || at > asOf) continue;
    const upgraded = trial.upgraded.get(deviceId);
    const removed = trial.removed.get(deviceId);
    const upgradedAt = upgraded !== undefined && upgraded <= asOf ? upgraded : null;
    const removedAt = removed !== undefined && removed <= asOf ? removed : null;
    let deviceState: TrialDeviceState;
    if (upgradedAt !== null) deviceState = 'upgraded';
    else if (removedAt !== null) deviceState = 'removed';
    else deviceState = asOf >= trial.end ? 'overdue' : 'inField';
    devices.push({
      record,
      state: deviceState,
      supplier: registeredParty(state, record, 'supplier', asOf) ?? record.supplier,
      networkOperator: registeredParty(state, record, 'networkOperator', asOf) ?? record.networkOperator,
      smiStatus: statusAsOf(record, asOf),
      commissionedAt: at,
      upgradedAt,
      removedAt,
    });
  }
  return devices;
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

/** Counts by key, with keys in sorted order so the JSON is stable. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}
