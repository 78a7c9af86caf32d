import type { SrOutcome } from '../dcc/dcc-state.js';
import type { DccView } from '../dcc/dcc-view.js';
import { lookupSrv } from '../duis/srv-catalogue.js';
import { type ResponseTimeSummary, summariseTimes } from './percentiles.js';
import { countBy, isoOf } from './trial-device-timeline.js';

/**
 * TRIALS.md step 8: trial devices must not distort the DCC's OPR/SLA figures; they carry a flag
 * that excludes them (`excludeFromOpr`, default true, per trial). The figures are given with and
 * without them so the exclusion is visible. Counted: every SR outcome completed by `asOf`.
 */
export interface OprReport {
  readonly report: 'opr-report';
  readonly asOf: string;
  readonly asOfMs: number;
  /** Trials whose devices are left out of the OPR basis. */
  readonly excludedTrials: readonly string[];
  /** Every SR, trial devices included. */
  readonly withTrialDevices: OprFigures;
  /** The OPR basis: every SR except those to devices of an excluded trial. */
  readonly withoutTrialDevices: OprFigures;
  /** The SRs left out: the difference between the two. */
  readonly excluded: OprFigures;
}

export interface OprFigures {
  readonly requests: number;
  /** SRs that ended I0. */
  readonly succeeded: number;
  /** succeeded / requests, or null with no requests. */
  readonly successRate: number | null;
  /** Outcome code (I0, E4, E21, a device alert code …) → count. */
  readonly byOutcome: Readonly<Record<string, number>>;
  /**
   * Round trips to devices (device SRs that reached one: I0, E21, E30 or a device's refusal),
   * completedAt − requestedAt. Refusals at access control and non-device SRs complete at once
   * and would only dilute the figure.
   */
  readonly responseTimeMs: ResponseTimeSummary | null;
}

const DEVICE_ROUND_TRIP = /^(I0|E21|E30|0x[0-9A-Fa-f]{4})$/;

function figures(outcomes: readonly SrOutcome[]): OprFigures {
  const succeeded = outcomes.filter((o) => o.outcome === 'I0').length;
  const roundTrips = outcomes.filter(
    (o) => lookupSrv(o.srv)?.nonDevice === false && DEVICE_ROUND_TRIP.test(o.outcome),
  );
  return {
    requests: outcomes.length,
    succeeded,
    successRate: outcomes.length === 0 ? null : succeeded / outcomes.length,
    byOutcome: countBy(outcomes, (o) => o.outcome),
    responseTimeMs: summariseTimes(roundTrips.map((o) => o.completedAt - o.requestedAt)),
  };
}

export function oprReport(state: DccView, asOf: number): OprReport {
  const excludedTrials = [...state.trials.values()]
    .filter((t) => t.policy.excludeFromOpr)
    .map((t) => t.trialId)
    .sort();
  const isExcluded = (o: SrOutcome) =>
    o.trialDevice &&
    (o.trialId === undefined || state.trials.get(o.trialId)?.policy.excludeFromOpr !== false);
  const counted = state.outcomes.filter((o) => o.completedAt <= asOf);
  return {
    report: 'opr-report',
    asOf: isoOf(asOf),
    asOfMs: asOf,
    excludedTrials,
    withTrialDevices: figures(counted),
    withoutTrialDevices: figures(counted.filter((o) => !isExcluded(o))),
    excluded: figures(counted.filter(isExcluded)),
  };
}
