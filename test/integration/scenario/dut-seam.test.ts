import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { runScenario } from '../../../harness/scenario/scenario-runner.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';

const SCENARIO = `scenario: dut-seam
title: A scenario whose ESME is a device under test
devices:
  - id: chf1
    model: acme-comms-hub
    eui: 00-12-4B-00-00-00-00-01
    preinstalled: true
  - id: esme1
    model: acme-trial-esme
    eui: 00-12-4B-00-00-00-01-01
    chf: chf1
    preinstalled: true
steps:
  - send: { as: supplier-a, srv: "11.2", device: chf1 }
  - send: { as: supplier-a, srv: "11.2", device: esme1 }
    expect: { response: I0 }
`;

describe('the --dut seam: a scenario device left to a real device, with no edit to the scenario', () => {
  it('the stack does not simulate it, keeps its spec and SMI record, and a silent DUT ends in E21 (failed) after the real-time guard', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trialsim-dut-'));
    const file = join(dir, 'dut.yaml');
    await writeFile(file, SCENARIO);
    let seen: SimStack | undefined;
    const result = await runScenario(await loadScenario(file), {
      seed: 'dut',
      externalDevices: ['esme1'],
      waitGuardMs: 200,
      onStackStarted: async (stack) => {
        seen = stack;
      },
    });
    expect(seen?.devices.has('esme1')).toBe(false);
    expect(seen?.devices.has('chf1')).toBe(true);
    expect(seen?.deviceSpecs.get('esme1')?.eui).toBe('00-12-4B-00-00-00-01-01');
    expect(seen?.dcc.core.state.smi.get(seen.deviceSpecs.get('esme1')?.eui as never)?.status).toBe(
      'Commissioned',
    );
    // Nobody answers for esme1: after the real-time guard, the DCC's deadline gives E21.
    expect(result.steps[1]?.verdict).toBe('failed');
    expect(result.steps[1]?.message).toMatch(/expected I0, got E21/);
  });
});
