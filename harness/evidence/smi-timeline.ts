import type { DccView } from '../../simulator/domain/index.js';
import type {
  DeviceTimeline,
  SmiTimeline,
  TimelineEvent,
  TimelineSegment,
} from '../results/scenario-evidence-types.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Devices by SMI status over virtual time, from each SmiRecord's history, with the end-of-trial
 * events of TRIALS.md: upgraded (left the trial by OTA upgrade), removed (decommissioned while on
 * trial) and overdue (still on trial firmware when the trial ended). Pure over the DCC state.
 */
export function smiTimeline(
  state: DccView,
  window: { readonly start: number; readonly end: number },
  deviceNames: ReadonlyMap<string, string>,
): SmiTimeline {
  const events = new Map<string, TimelineEvent[]>();
  const trialOf = new Map<string, string>();
  const push = (eui: string, event: TimelineEvent) => {
    const list = events.get(eui) ?? [];
    list.push(event);
    events.set(eui, list);
  };
  for (const trial of state.trials.values()) {
    for (const eui of trial.commissioned) {
      trialOf.set(eui, trial.trialId);
      const upgraded = trial.upgraded.get(eui);
      const removed = trial.removed.get(eui);
      if (upgraded !== undefined) push(eui, { at: iso(upgraded), kind: 'upgraded', trialId: trial.trialId });
      if (removed !== undefined) push(eui, { at: iso(removed), kind: 'removed', trialId: trial.trialId });
      // TRIALS.md "End of trial": overdue from the end date until upgraded or removed.
      const left = Math.min(upgraded ?? Number.POSITIVE_INFINITY, removed ?? Number.POSITIVE_INFINITY);
      if (trial.end <= window.end && left > trial.end) {
        push(eui, { at: iso(trial.end), kind: 'overdue', trialId: trial.trialId });
      }
    }
  }
  const devices: DeviceTimeline[] = [];
  const order = [...deviceNames.keys()];
  const records = [...state.smi.values()].sort(
    (a, b) => rank(order, a.deviceId) - rank(order, b.deviceId) || a.deviceId.localeCompare(b.deviceId),
  );
  for (const record of records) {
    const segments: TimelineSegment[] = [];
    for (const [i, entry] of record.history.entries()) {
      const next = record.history[i + 1];
      segments.push({
        status: entry.to,
        from: iso(entry.at),
        to: iso(next?.at ?? Math.max(window.end, entry.at)),
        cause: entry.cause,
      });
    }
    const trialId = trialOf.get(record.deviceId) ?? record.trialId;
    const deviceEvents = (events.get(record.deviceId) ?? []).sort((a, b) => a.at.localeCompare(b.at));
    devices.push({
      device: deviceNames.get(record.deviceId) ?? record.deviceId,
      eui: record.deviceId,
      deviceType: record.deviceType,
      ...(trialId === undefined ? {} : { trialId }),
      segments,
      events: deviceEvents,
    });
  }
  return {
    start: iso(window.start),
    end: iso(window.end),
    trials: [...state.trials.values()].map((t) => ({
      trialId: t.trialId,
      start: iso(t.start),
      end: iso(t.end),
    })),
    devices,
  };
}

function rank(order: readonly string[], eui: string): number {
  const i = order.indexOf(eui);
  return i === -1 ? order.length : i;
}
