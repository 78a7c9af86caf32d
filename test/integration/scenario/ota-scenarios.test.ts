import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from '../../../harness/package-root.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { runScenario } from '../../../harness/scenario/scenario-runner.js';

/**
 * The issue-3 scenarios, run as a user runs them: loaded from scenarios/, on a fresh stack over
 * the real embedded broker with a virtual clock. Each step's expectations are the assertions.
 */
async function run(file: string): Promise<void> {
  const result = await runScenario(await loadScenario(join(SCENARIOS_DIR, file)), { seed: 'test-device' });
  const failed = result.steps.find((s) => s.verdict !== 'passed');
  expect(result.message ?? '', JSON.stringify(failed?.actual ?? failed?.message ?? '')).toBe('');
  expect(result.verdict).toBe('passed');
}

describe('OTA scenarios over the broker (DCC.md §10)', () => {
  it('OTA success - 11.1 + 11.3 to CPA-certified firmware ends the trial (ota-upgrade.yaml)', () =>
    run('ota-upgrade.yaml'));
  it('hashMismatch / noImageHeld / forged image / activationFailure (ota-hash-mismatch.yaml)', () =>
    run('ota-hash-mismatch.yaml'));
  it('hardware version mismatch - DCC screen and device outcome 2 (ota-hardware-mismatch.yaml)', () =>
    run('ota-hardware-mismatch.yaml'));
  it('future-dated activation on the virtual clock, reconciled from 0x8F66 (future-dated-activation.yaml)', () =>
    run('future-dated-activation.yaml'));
  it('power loss during transfer and mid-activation (ota-power-loss.yaml)', () => run('ota-power-loss.yaml'));
  it('HCALCS EV charger trial device: commissioning to OTA exit from its model file (ev-charger-trial.yaml)', () =>
    run('ev-charger-trial.yaml'));
});
