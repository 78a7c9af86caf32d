import type { Parameters } from 'fast-check';

/**
 * How hard the property tests run. CI: a fixed seed and a small, bounded number of runs, so a
 * failure reproduces exactly. Soak (`npm run soak`): TRIALSIM_SOAK_RUNS runs per property and a
 * fresh seed each time (TRIALSIM_SOAK_SEED pins it); fast-check prints the seed and the shrunk
 * counterexample of any failure, and `TRIALSIM_SOAK_SEED=<seed>` replays it.
 */
const soakRuns = Number(process.env.TRIALSIM_SOAK_RUNS ?? '0');
export const SOAK = Number.isFinite(soakRuns) && soakRuns > 0;

const soakSeed = process.env.TRIALSIM_SOAK_SEED;
export const FC_SEED = SOAK ? (soakSeed === undefined ? Date.now() % 2 ** 31 : Number(soakSeed)) : 42;

/** fast-check parameters: `ciRuns` in CI, TRIALSIM_SOAK_RUNS (at least `ciRuns`) when soaking. */
export function budget<T>(ciRuns: number, extra: Parameters<T> = {}): Parameters<T> {
  return { seed: FC_SEED, numRuns: SOAK ? Math.max(ciRuns, soakRuns) : ciRuns, ...extra };
}

/** Real-time allowance for a test: soak runs take longer, CI runs must stay cheap. */
export const TEST_TIMEOUT_MS = SOAK ? 3_600_000 : 30_000;
