import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from '../../../harness/package-root.js';
import type { ScenarioTrace } from '../../../harness/results/scenario-trace.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { runScenario } from '../../../harness/scenario/scenario-runner.js';

let dir: string;
let commissioning: string;

/** The built-in commissioning scenario with a `parties:` block added. */
async function withParties(name: string, parties: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, `${commissioning}\nparties:\n${parties}\n`);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-duis-users-'));
  commissioning = await readFile(join(SCENARIOS_DIR, 'commissioning.yaml'), 'utf8');
});

describe('DCC Users over DUIS in scenarios (HTTP UserLink, callbacks, settling)', {
  timeout: 240_000,
}, () => {
  it('parties: { supplier-a: { interface: duis } } runs commissioning with supplier-a on signed DUIS XML over HTTP, results on its callback URL', async () => {
    const scenario = await loadScenario(
      await withParties('duis-supplier', '  supplier-a: { interface: duis }'),
    );
    const traces: ScenarioTrace[] = [];
    const result = await runScenario(scenario, { seed: 'duis-users', onTrace: (t) => traces.push(t) });
    expect(
      result.steps.filter((s) => s.verdict !== 'passed').map((s) => s.message),
      JSON.stringify(result.steps.map((s) => [s.verdict, s.message])),
    ).toEqual([]);
    expect(result.verdict).toBe('passed');
    const entries = traces.flatMap((t) => [...t.entries]);
    const requests = entries.filter((e) => e.kind === 'duisRequest');
    // Every SR of the scenario went over HTTP, the signed XML kept in the trace (and so the evidence).
    expect(requests.length).toBeGreaterThanOrEqual(6);
    expect(requests.some((e) => e.summary.includes('8.1.1 CV 4'))).toBe(true);
    expect(requests.some((e) => e.summary.includes('8.1.1 CV 5'))).toBe(true);
    expect(String((requests[0]?.detail as { xml?: string } | undefined)?.xml)).toContain(
      '<ds:SignatureValue>',
    );
    // Device results came back as signed callbacks, each accepted by the User's endpoint.
    const callbacks = entries.filter((e) => e.kind === 'duisCallback');
    expect(callbacks.length).toBeGreaterThan(0);
    expect(callbacks.every((e) => e.summary.includes('HTTP 200 (accepted)'))).toBe(true);
    expect(entries.filter((e) => e.kind === 'duisRefusal')).toEqual([]);
  });

  it('a parties: entry that is not a DCC User is refused when the scenario loads, naming it and the line', async () => {
    const file = await withParties('duis-acb', '  acb: { interface: duis }');
    await expect(loadScenario(file)).rejects.toThrow(/"acb" is not a DCC User/);
  });

  it('an interface other than mqtt or duis is refused when the scenario loads', async () => {
    const file = await withParties('duis-bad', '  supplier-a: { interface: soap }');
    await expect(loadScenario(file)).rejects.toThrow(/interface/);
  });
});
