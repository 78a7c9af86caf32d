import type { DccView } from '../dcc/dcc-view.js';
import { isoOf, trialDevicesAsOf } from './trial-device-timeline.js';

/**
 * TRIALS.md step 6: "the DNO is told which trial devices are on its network". Per network
 * operator (the one registered as of a virtual instant), the trial devices in the field then,
 * overdue ones included: they are still on the network until removed.
 */
export interface DnoNotification {
  readonly report: 'dno-notification';
  readonly asOf: string;
  readonly asOfMs: number;
  readonly networkOperators: readonly DnoNetworkEntry[];
}

export interface DnoNetworkEntry {
  /** EUI of the network operator; null for devices pre-notified without one. */
  readonly networkOperator: string | null;
  readonly trialDevices: readonly DnoTrialDevice[];
}

export interface DnoTrialDevice {
  readonly deviceId: string;
  readonly deviceType: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly trialId: string;
  readonly cpaCertificateReference: string;
  readonly trialEnd: string;
  readonly smiStatus: string | null;
  readonly supplier: string;
  readonly overdue: boolean;
}

export function dnoNotification(state: DccView, asOf: number): DnoNotification {
  const byOperator = new Map<string | null, DnoTrialDevice[]>();
  const trials = [...state.trials.values()].sort((a, b) => a.trialId.localeCompare(b.trialId));
  for (const trial of trials) {
    for (const device of trialDevicesAsOf(state, trial, asOf)) {
      if (device.state !== 'inField' && device.state !== 'overdue' && device.state !== 'overCap') continue;
      const { record } = device;
      const operator = device.networkOperator ?? null;
      const list = byOperator.get(operator) ?? [];
      list.push({
        deviceId: record.deviceId,
        deviceType: record.deviceType,
        manufacturer: record.manufacturer,
        model: record.model,
        firmwareVersion: record.firmwareVersion,
        trialId: trial.trialId,
        cpaCertificateReference: trial.cpaCertificateReference,
        trialEnd: isoOf(trial.end),
        smiStatus: device.smiStatus,
        supplier: device.supplier,
        overdue: device.state === 'overdue',
      });
      byOperator.set(operator, list);
    }
  }
  const networkOperators = [...byOperator]
    .sort(([a], [b]) => String(a).localeCompare(String(b)))
    .map(([networkOperator, trialDevices]) => ({
      networkOperator,
      trialDevices: trialDevices.sort((a, b) => a.deviceId.localeCompare(b.deviceId)),
    }));
  return { report: 'dno-notification', asOf: isoOf(asOf), asOfMs: asOf, networkOperators };
}
