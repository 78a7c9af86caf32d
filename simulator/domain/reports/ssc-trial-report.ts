import type { DccView } from '../dcc/dcc-view.js';
import { type PolicyValue, policyDifferences } from '../policy/policy-settings.js';
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
  /**
   * The policy settings this run changed from the registry's defaults
   * (simulator/domain/policy/policy-settings.ts): the modelling choices the figures rest on.
   */
  readonly policyDifferences: readonly {
    readonly id: string;
    readonly value: PolicyValue;
    readonly default: PolicyValue;
  }[];
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
  readonly phase: 'notStarted' | 'running' | 'ended' | 'withdrawn';
  /** The sponsor failed (Supplier of Last Resort) by `asOf`: when, and who took over. */
  readonly sponsorFailure: { readonly at: string; readonly detail: string } | null;
  /** Every SSC action (approval, extension, withdrawal) and trial event by `asOf`, dated. */
  readonly actions: readonly { readonly at: string; readonly action: string; readonly detail: string }[];
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
  /** Ever in the field on the trial's firmware, by any path: what the cap counts. */
  readonly commissioned: number;
  readonly upgraded: number;
  readonly removed: number;
  /** Trial ended or withdrawn, device neither upgraded to CPA-certified firmware nor removed: due for upgrade or removal. */
  readonly overdue: number;
  /** Moved on to another trial's firmware. */
  readonly moved: number;
  /** Found on the trial's firmware with no slot left: Suspended (policy trial.overCapDiscovery). */
  readonly overCap: number;
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
  /** When the device came onto the trial's firmware in the field. */
  readonly commissionedAt: string;
  /** How: 8.1.1, 11.3, 11.2, preinstalled, approval, cpl — or overCap. */
  readonly joinedVia: string;
  readonly upgradedAt: string | null;
  readonly removedAt: string | null;
  readonly movedAt: string | null;
  readonly movedTo: string | null;
  /** Overdue: the trial ended or was withdrawn and the device must be upgraded or removed. */
  readonly dueForUpgradeOrRemoval: boolean;
}

/** The SSC trial report as of a virtual instant: a pure function of the DCC's state. */
export function sscTrialReport(state: DccView, asOf: number): SscTrialReport {
  const trials = [...state.trials.values()].sort((a, b) => a.trialId.localeCompare(b.trialId));
  return {
    report: 'ssc-trial-report',
    asOf: isoOf(asOf),
    asOfMs: asOf,
    policyDifferences: policyDifferences(state.policy),
    trials: trials.map((trial): SscTrialSummary => {
      const devices = trialDevicesAsOf(state, trial, asOf);
      const inField = devices.filter(
        (d) => d.state === 'inField' || d.state === 'overdue' || d.state === 'overCap',
      );
      const counted = devices.filter((d) => d.state !== 'overCap').length;
      const actions = trial.actions.filter((a) => a.at <= asOf);
      const failure = actions.find((a) => a.action === 'sponsorFailed');
      return {
        trialId: trial.trialId,
        cpaCertificateReference: trial.cpaCertificateReference,
        manufacturer: trial.manufacturer,
        sponsor: trial.sponsor,
        window: { start: isoOf(trial.start), end: isoOf(trial.end), startMs: trial.start, endMs: trial.end },
        phase:
          trial.withdrawnAt !== undefined && asOf >= trial.withdrawnAt
            ? 'withdrawn'
            : asOf < trial.start
              ? 'notStarted'
              : asOf < trial.end
                ? 'running'
                : 'ended',
        sponsorFailure: failure === undefined ? null : { at: isoOf(failure.at), detail: failure.detail },
        actions: actions.map((a) => ({ at: isoOf(a.at), action: a.action, detail: a.detail })),
        policy: { ...trial.policy },
        inField: inField.length,
        byStatus: countBy(inField, (d) => d.smiStatus ?? 'none'),
        bySupplier: countBy(inField, (d) => d.supplier),
        commissioned: counted,
        upgraded: devices.filter((d) => d.state === 'upgraded').length,
        removed: devices.filter((d) => d.state === 'removed').length,
        overdue: devices.filter((d) => d.state === 'overdue').length,
        moved: devices.filter((d) => d.state === 'moved').length,
        overCap: devices.filter((d) => d.state === 'overCap').length,
        capHeadroom: Math.max(0, trial.policy.maxDevices - counted),
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
          joinedVia: d.joinedVia,
          upgradedAt: d.upgradedAt === null ? null : isoOf(d.upgradedAt),
          removedAt: d.removedAt === null ? null : isoOf(d.removedAt),
          movedAt: d.movedAt === null ? null : isoOf(d.movedAt),
          movedTo: d.movedTo,
          dueForUpgradeOrRemoval: d.state === 'overdue',
        })),
      };
    }),
  };
}
