import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../../harness/results/result-types.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { runScenario } from '../../../harness/scenario/scenario-runner.js';

const SETUP = `scenario: faults
title: Faults on the links of one trial ESME
trials:
  - trialId: T-0001
    cpaCertificateReference: TRIAL-SSC-0001
    manufacturer: Acme Meters Ltd
    deviceType: ESME
    sponsor: supplier-a
devices:
  - id: chf1
    model: acme-comms-hub
    eui: 00-12-4B-00-00-00-00-01
    preinstalled: true
  - id: esme1
    model: acme-trial-esme
    eui: 00-12-4B-00-00-00-01-01
    chf: chf1
steps:
  - fleet:
      devices: esme1
      do:
        - send: { srv: "12.2" }
          expect: { response: I0 }
        - send: { srv: "8.11" }
          expect: { response: I0 }
        - send: { srv: "8.4" }
          expect: { response: I0 }
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-faults-'));
});

async function run(name: string, steps: string, seed = 'faults'): Promise<ScenarioResult> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, `${SETUP}${steps}`);
  return runScenario(await loadScenario(file), { seed });
}

describe('fault injection through scenario steps (real broker, virtual clock)', () => {
  it('E21 - a dropped device response ends the SR in E21 and the failure shows the drop', async () => {
    const result = await run(
      'drop',
      `  - fault: { drop: esme1 -> dcc }
  - send: { as: supplier-a, srv: "8.1.1", device: esme1 }
    expect: { response: I0 }
`,
    );
    expect(result.verdict).toBe('failed');
    const failed = result.steps.find((s) => s.verdict === 'failed');
    expect(failed?.message).toMatch(/expected I0, got E21/);
    expect(failed?.actual).toMatchObject({ response: 'E21' });
    expect(failed?.around?.map((e) => e.summary).join('\n')).toMatch(/fault: dropped a message/);
    // The DCC's 60 s deadline passed in virtual time, not real time.
    expect(result.virtualEnd).toBe('2027-01-04T09:01:00.000Z');
  });

  it('0x8F1E - a corrupted command fails the device integrity check and is alerted to the supplier', async () => {
    const result = await run(
      'corrupt',
      `  - fault: { corrupt: dcc -> esme1 }
  - send: { as: supplier-a, srv: "8.1.1", device: esme1, wait: first }
    expect: { response: I0 }
  - advance: 2 minutes
  - expect: { alert: { to: supplier-a, alert: DeviceAlert, device: esme1, alertCode: "0x8F1E" } }
  - expect: { device: { device: esme1, lifecycle: new, securityLogIncludes: "0x8F1E" } }
  - expect: { smi: { device: esme1, status: InstalledNotCommissioned } }
`,
      // The seed picks the flipped byte: with this one it breaks the APDU's structure (0x8F1E);
      // a flip inside the GBCS payload or the signature still parses and fails the MAC (0x8F3D).
      'faults-1',
    );
    expect(result.steps.map((s) => [s.title, s.verdict])).toEqual(
      result.steps.map((s) => [s.title, 'passed']),
    );
  });

  it('delay, duplicate, clock skew and a broker restart leave commissioning working', async () => {
    const result = await run(
      'recoverable',
      `  - fault: { delay: supplier-a -> dcc, by: 30 s }
  - send: { as: supplier-a, srv: "8.2", device: esme1 }
    expect: { response: I0 }
  - fault: { duplicate: dcc -> supplier-a, messages: all }
  - send: { as: supplier-a, srv: "8.2", device: esme1 }
    expect: { response: I0 }
  - fault: { clear: all }
  - fault: { clockSkew: esme1, by: -10 minutes }
  - fault: { brokerRestart: true }
  - send: { as: supplier-a, srv: "8.1.1", device: esme1 }
    expect: { response: I0, body: { status: success } }
  - expect: { smi: { device: esme1, status: Commissioned, trial: T-0001 } }
`,
    );
    expect(result.message).toBeUndefined();
    expect(result.verdict).toBe('passed');
    // The delayed request reached the DCC 30 s of virtual time later.
    const afterDelay = result.steps[3];
    expect(afterDelay?.virtualTime).toBe('2027-01-04T09:00:30.000Z');
  });

  it('a request the fault layer dropped fails at once: nothing could ever answer it', async () => {
    const result = await run(
      'lost-request',
      `  - fault: { drop: supplier-a -> dcc }
  - send: { as: supplier-a, srv: "8.2", device: esme1 }
    expect: { response: I0 }
`,
    );
    expect(result.verdict).toBe('failed');
    expect(result.message).toMatch(/no outcome of .*nothing scheduled within a day can produce it/);
  });

  it('probabilistic faults give the same run for the same seed, another run for another seed', async () => {
    const steps = `  - fault: { duplicate: supplier-a -> dcc, messages: all, probability: 0.5 }
${'  - send: { as: supplier-a, srv: "8.2", device: esme1 }\n'.repeat(8)}`;
    const shape = (r: ScenarioResult) =>
      r.steps.map((s) => `${s.verdict} ${s.traceRange.join('-')}`).join(' ');
    const a = await run('prob-a', steps, 'seed-1');
    const b = await run('prob-b', steps, 'seed-1');
    const c = await run('prob-c', steps, 'seed-2');
    expect(a.verdict).toBe('passed');
    expect(shape(a)).toBe(shape(b));
    expect(shape(a)).not.toBe(shape(c));
  });
});
