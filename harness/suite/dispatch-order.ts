import type { LoadedScenario } from '../scenario/scenario-loader.js';

/**
 * The order `--parallel` workers take scenarios in: the one with the most devices first, equal
 * ones in file order. Run in file order, the built-in suite's 18-month 100-device trial (about two
 * thirds of the suite's time) started half-way and ran on alone at the end while the other worker
 * idled; started first, the other worker runs everything else beside it (longest first is the
 * classic rule for this). The device count is the cost estimate at hand before anything runs.
 * Reporters still hear about the scenarios in file order (run-suite.ts).
 */
export function dispatchOrder(scenarios: readonly Pick<LoadedScenario, 'devices'>[]): number[] {
  return scenarios
    .map((scenario, index) => ({ index, devices: scenario.devices.length }))
    .sort((a, b) => b.devices - a.devices || a.index - b.index)
    .map(({ index }) => index);
}
