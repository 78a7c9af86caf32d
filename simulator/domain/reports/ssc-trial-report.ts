import type { DccState } from '../dcc/dcc-state.js';
import type { EligibilityMode } from '../trial/trial.js';
import { countBy, isoOf, type TrialDeviceState, trialDevicesAsOf } from './trial-device-timeline.js';

/**
 * TRIALS.md step 7: "The DCC reports to the SSC which trial devices are in the field." Plain
 * JSON-serialisable data (EUIs as strings, instants as ISO strings beside their ms values).
 */
export interface SscTrialReport {
  readonly report: 'ssc-trial-report';
  readonly asOf: string;
  readonly asOfMs: number;
  readonly trials: readonly SscTrialSummary[];
}

export interface SscTrialSummary {
  readonly trialId: string;
  readonly cpaCertificateReference: string;
  readonly manufacturer: string;
  /** EUI of the sponsoring supplier (TRIALS.md step 5). */
  readonly sponsor: string;
  readonly window: {
    readonly start: string;
    readonly end: string;
    readonly startMs: number;
    readonly endMs: number;
  };
  readonly phase: 'notStarted' | 'running' | 'ended';
  readonly policy: {
    readonly maxDevices: number;
    readonly durationMonths: number;
    readonly eligibility: EligibilityMode;
    readonly endOfTrialAction: string;
    readonly excludeFromOpr: boolean;
  };
  /** Devices on trial firmware in the field: commissioned, neither upgraded nor removed (overdue included). */
  readonly inField: number;
  /** The in-field devices by SMI status (e.g. Commissioned, Suspended). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** The in-field devices by responsible supplier EUI: the one registered as of the report. */
  readonly bySupplier: Readonly<Record<string, number>>;
  /** Ever commissioned under the trial: what the cap counts. */
  readonly commissioned: number;
  readonly upgraded: number;
  readonly removed: number;
  /** Trial ended, device neither upgraded to CPA-certified firmware nor removed. */
  readonly overdue: number;
  /** Commissionings the cap still allows (0 once reached). */
  readonly capHeadroom: number;
  readonly devices: readonly SscTrialDevice[];
}

export interface SscTrialDevice {
  readonly deviceId: string;
  readonly deviceType: string;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly smiStatus: string | null;
  readonly supplier: string;
  readonly networkOperator: string | null;
  readonly state: TrialDeviceState;
  readonly commissionedAt: string;
  readonly upgradedAt: string | null;
  readonly removedAt: string | null;
}

/** The SSC trial report as of a virtual instant: a pure function of the DCC's state. */
export function sscTrialReport(state: DccState, asOf: number): SscTrialReport {
  const trials = [...state.trials.values()].sort((a, b) => a.trialId.localeCompare(b.trialId));
  return {
    report: 'ssc-trial-report',
    asOf: isoOf(asOf),
    asOfMs: asOf,
    trials: trials.map((trial): SscTrialSummary => {
      const devices = trialDevicesAsOf(state, trial, asOf);
      const inField = devices.filter((d) => d.state === 'inField' || d.state === 'overdue');
      return {
        trialId: trial.trialId,
        cpaCertificateReference: trial.cpaCertificateReference,
        manufacturer: trial.manufacturer,
        sponsor: trial.sponsor,
        window: { start: isoOf(trial.start), end: isoOf(trial.end), startMs: trial.start, endMs: trial.end },
        phase: asOf < trial.start ? 'notStarted' : asOf < trial.end ? 'running' : 'ended',
        policy: { ...trial.policy },
        inField: inField.length,
        byStatus: countBy(inField, (d) => d.smiStatus ?? 'none'),
        bySupplier: countBy(inField, (d) => d.supplier),
        commissioned: devices.length,
        upgraded: devices.filter((d) => d.state === 'upgraded').length,
        removed: devices.filter((d) => d.state === 'removed').length,
        overdue: devices.filter((d) => d.state === 'overdue').length,
        capHeadroom: Math.max(0, trial.policy.maxDevices - devices.length),
        devices: devices.map((d) => ({
          deviceId: d.record.deviceId,
          deviceType: d.record.deviceType,
          model: d.record.model,
          firmwareVersion: d.record.firmwareVersion,
          smiStatus: d.smiStatus,
          supplier: d.supplier,
          networkOperator: d.networkOperator ?? null,
          state: d.state,
          commissionedAt: isoOf(d.commissionedAt),
          upgradedAt: d.upgradedAt === null ? null : isoOf(d.upgradedAt),
          removedAt: d.removedAt === null ? null : isoOf(d.removedAt),
        })),
      };
    }),
  };
}
