import type { DccView } from '../dcc/dcc-view.js';
import { registeredParty } from '../dcc/registered-parties.js';
import type { Eui } from '../eui.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { SmiStatus } from '../smi/smi-status.js';
import type { Trial, TrialJoinPath } from '../trial/trial.js';

/**
 * Where a trial device stood at a virtual instant, rebuilt from the SMI status history, the
 * registration data and the trial's upgrade/removal dates, so a report "as of" any date after the
 * fact is still right. The responsible supplier is the one registered at that instant (TRIALS.md:
 * after a Change of Supplier the gaining supplier answers for the device, end-of-trial duties
 * included); once the CoS completes it is also `SmiRecord.supplier`. The firmware version has no
 * history in the SMI record: reports give its value now.
 */
export type TrialDeviceState = 'inField' | 'overdue' | 'upgraded' | 'removed' | 'moved' | 'overCap';

export interface TrialDeviceAsOf {
  readonly record: SmiRecord;
  readonly state: TrialDeviceState;
  /** The supplier registered (responsible) at `asOf`. */
  readonly supplier: Eui;
  /** The network operator registered at `asOf`, if any. */
  readonly networkOperator: Eui | undefined;
  readonly smiStatus: SmiStatus | null;
  /** When the device came onto the trial's firmware in the field, and by which path. */
  readonly commissionedAt: number;
  readonly joinedVia: TrialJoinPath | 'overCap';
  readonly upgradedAt: number | null;
  readonly removedAt: number | null;
  /** When it moved on to another trial's firmware, and which trial. */
  readonly movedAt: number | null;
  readonly movedTo: string | null;
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

/** The trial no longer admits devices as of `asOf`: ended, or withdrawn by the SSC. */
export function trialClosedAsOf(trial: Trial, asOf: number): boolean {
  return asOf >= trial.end || (trial.withdrawnAt !== undefined && asOf >= trial.withdrawnAt);
}

function atOrBefore(at: number | undefined, asOf: number): number | null {
  return at !== undefined && at <= asOf ? at : null;
}

/**
 * The trial's devices as of `asOf`: every device that came onto its firmware in the field by
 * then, by whatever path (trial-membership.ts), with its state. TRIALS.md "End of trial": once the
 * trial has ended or been withdrawn, a device neither upgraded nor removed is overdue (due for
 * upgrade or removal). A device found on the firmware with no slot left is listed as overCap.
 */
export function trialDevicesAsOf(state: DccView, trial: Trial, asOf: number): TrialDeviceAsOf[] {
  const devices: TrialDeviceAsOf[] = [];
  const seen = new Set<Eui>();
  const listed: { deviceId: Eui; at: number | undefined; via: TrialJoinPath | 'overCap' }[] = [
    ...trial.commissioned.map((deviceId) => {
      const joined = trial.joined.get(deviceId);
      return { deviceId, at: joined?.at, via: joined?.via ?? ('8.1.1' as const) };
    }),
    ...[...trial.overCap].map(([deviceId, at]) => ({ deviceId, at, via: 'overCap' as const })),
  ];
  for (const { deviceId, at: joinedAt, via } of listed) {
    const record = state.smi.get(deviceId);
    if (record === undefined || seen.has(deviceId)) continue;
    seen.add(deviceId);
    const at = joinedAt ?? commissionedAt(record);
    if (at === undefined || at > asOf) continue;
    const upgradedAt = atOrBefore(trial.upgraded.get(deviceId), asOf);
    const removedAt = atOrBefore(trial.removed.get(deviceId), asOf);
    const moved = trial.moved.get(deviceId);
    const movedAt = atOrBefore(moved?.at, asOf);
    let deviceState: TrialDeviceState;
    if (removedAt !== null) deviceState = 'removed';
    else if (upgradedAt !== null) deviceState = 'upgraded';
    else if (movedAt !== null) deviceState = 'moved';
    else if (via === 'overCap') deviceState = 'overCap';
    else deviceState = trialClosedAsOf(trial, asOf) ? 'overdue' : 'inField';
    devices.push({
      record,
      state: deviceState,
      supplier: registeredParty(state, record, 'supplier', asOf) ?? record.supplier,
      networkOperator: registeredParty(state, record, 'networkOperator', asOf) ?? record.networkOperator,
      smiStatus: statusAsOf(record, asOf),
      commissionedAt: at,
      joinedVia: via,
      upgradedAt,
      removedAt,
      movedAt,
      movedTo: movedAt === null ? null : (moved?.toTrial ?? null),
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
