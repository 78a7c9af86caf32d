import type { DccView } from '../../simulator/domain/index.js';
import type { OprFigures, TrialFigures } from '../results/scenario-evidence-types.js';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The harness's own count of each trial's devices at `asOf` (TRIALS.md steps 7 and "End of
 * trial"): a cross-check beside the DCC's SSC report, computed from the same state.
 */
export function trialFigures(
  state: DccView,
  asOf: number,
  partyName: (eui: string) => string,
): TrialFigures[] {
  return [...state.trials.values()].map((trial) => {
    let inField = 0;
    let overdue = 0;
    for (const eui of trial.commissioned) {
      if (trial.upgraded.has(eui) || trial.removed.has(eui)) continue;
      const status = state.smi.get(eui)?.status;
      if (status === 'Commissioned' || status === 'Suspended') inField++;
      if (trial.end <= asOf) overdue++;
    }
    return {
      trialId: trial.trialId,
      cpaCertificateReference: trial.cpaCertificateReference,
      manufacturer: trial.manufacturer,
      sponsor: partyName(trial.sponsor),
      start: iso(trial.start),
      end: iso(trial.end),
      maxDevices: trial.policy.maxDevices,
      ended: trial.ended,
      commissioned: trial.commissioned.length,
      inField,
      upgraded: trial.upgraded.size,
      removed: trial.removed.size,
      overdue,
    };
  });
}

/**
 * OPR figures (TRIALS.md step 8): service requests completed for a trial device carry the flag
 * that leaves them out of SLA/OPR metrics, as "noisy meters" already are.
 */
export function oprFigures(state: DccView): OprFigures {
  const byOutcome: Record<string, number> = {};
  let trialDeviceRequests = 0;
  for (const outcome of state.outcomes) {
    // TRIALS.md step 8 with the per-trial policy: only an excludeFromOpr trial's devices leave OPR.
    const trial = outcome.trialId === undefined ? undefined : state.trials.get(outcome.trialId);
    if (outcome.trialDevice && trial?.policy.excludeFromOpr !== false) {
      trialDeviceRequests++;
      continue;
    }
    byOutcome[outcome.outcome] = (byOutcome[outcome.outcome] ?? 0) + 1;
  }
  return {
    serviceRequests: state.outcomes.length,
    trialDeviceRequests,
    counted: state.outcomes.length - trialDeviceRequests,
    byOutcome: Object.fromEntries(Object.entries(byOutcome).sort(([a], [b]) => a.localeCompare(b))),
  };
}
