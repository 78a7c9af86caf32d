import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { runScenario } from '../../../harness/scenario/scenario-runner.js';

/** The `report` expectation (harness/scenario/checks/report-check.ts) passes and fails as it should. */
async function variant(edit: (text: string) => string): Promise<string> {
  const text = await readFile(join(PACKAGE_ROOT, 'scenarios', 'trial-cap.yaml'), 'utf8');
  const dir = await mkdtemp(join(tmpdir(), 'trialsim-report-check-'));
  const file = join(dir, 'trial-cap.yaml');
  await writeFile(file, edit(text));
  return file;
}

describe('scenario expectation `report`', () => {
  it('passes when the SSC report matches (scenarios/trial-cap.yaml)', async () => {
    const scenario = await loadScenario(join(PACKAGE_ROOT, 'scenarios', 'trial-cap.yaml'));
    const result = await runScenario(scenario, { seed: 'report-check' });
    expect(result.message).toBeUndefined();
    expect(result.verdict).toBe('passed');
  });

  it('fails, with expected and actual, when a count differs', async () => {
    const file = await variant((t) => t.replace('inField: 1, removed: 1', 'inField: 2, removed: 1'));
    const result = await runScenario(await loadScenario(file), { seed: 'report-check' });
    expect(result.verdict).toBe('failed');
    expect(result.message).toMatch(/SSC report for T-0001 differs/);
    const failed = result.steps.find((s) => s.verdict === 'failed');
    expect(failed?.actual).toMatchObject({
      inField: 1,
      removed: 1,
      devices: { esme1: 'removed', esme2: 'inField' },
    });
  });

  it('fails when a trial is not in the report', async () => {
    const file = await variant((t) =>
      t.replace(
        'report: { ssc: { trialId: T-0001, inField: 2',
        'report: { ssc: { trialId: T-9999, inField: 2',
      ),
    );
    const result = await runScenario(await loadScenario(file), { seed: 'report-check' });
    expect(result.verdict).toBe('failed');
    expect(result.message).toMatch(/has no trial T-9999/);
  });

  it('refuses a misspelt key when the scenario loads', async () => {
    const file = await variant((t) => t.replace('capHeadroom: 0 } } }', 'capHeadroon: 0 } } }'));
    await expect(loadScenario(file)).rejects.toThrow(/capHeadroon/);
  });
});
