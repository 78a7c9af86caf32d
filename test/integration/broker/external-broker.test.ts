import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../../harness/fleet/fleet.js';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { runScenario } from '../../../harness/scenario/scenario-runner.js';
import { type RunningMosquitto, startMosquitto } from '../../support/mosquitto.js';

let mosquitto: RunningMosquitto;

beforeAll(async () => {
  mosquitto = await startMosquitto();
});

afterAll(async () => {
  await mosquitto?.stop();
});

describe('an external MQTT broker (mosquitto on loopback)', () => {
  it('runs scenarios/commissioning.yaml to a pass with every party on mosquitto', async () => {
    const scenario = await loadScenario(join(PACKAGE_ROOT, 'scenarios', 'commissioning.yaml'));
    const result = await runScenario(scenario, { seed: 'mosquitto', brokerUrl: mosquitto.url });
    expect(result.message).toBeUndefined();
    expect(result.verdict).toBe('passed');
    expect(result.steps.every((step) => step.verdict === 'passed')).toBe(true);
  });

  it('shards a fleet over worker processes on mosquitto: every device answers, settle waits for them all', async () => {
    const start = Date.UTC(2026, 0, 5);
    const fleet = await Fleet.start({
      seed: 'fleet-mosquitto',
      start,
      devices: 300,
      workers: 2,
      brokerUrl: mosquitto.url,
    });
    try {
      expect(fleet.reports.map((r) => r.devices)).toEqual([150, 150]);
      const supplier = fleet.stack.user('supplier-a');
      const outcomes = await Promise.all(
        Array.from({ length: 300 }, (_, i) => supplier.request({ srv: '11.2', target: fleet.eui(i) }).final),
      );
      const codes = outcomes.map((o) =>
        o.kind === 'response' ? o.response.responseCode : o.alert.alertCode,
      );
      expect(codes.filter((code) => code === 'I0')).toHaveLength(300);

      // Fire-and-forget reads: settle() must not return until every device's answer is handled.
      const before = fleet.stack.dcc.core.state.outcomes.length;
      for (let i = 0; i < 300; i += 3) supplier.request({ srv: '4.1.1', target: fleet.eui(i) });
      await fleet.settle();
      expect(fleet.stack.dcc.core.state.outcomes.length - before).toBe(100);

      // Device clocks in the workers follow the DCC's virtual clock.
      await fleet.advanceTo(start + 30 * 86_400_000);
      const read = await supplier.request({ srv: '4.1.1', target: fleet.eui(299) }).final;
      expect(read.kind === 'response' ? read.response.body?.importRegisterWh : undefined).toBeGreaterThan(0);
    } finally {
      await fleet.stop();
    }
  }, 120_000);

  it('runs a shard started by hand, as on another machine: no IPC, time and readiness over the broker', async () => {
    const start = Date.UTC(2026, 0, 5);
    const namespace = `remote-shard-${process.pid}`;
    const seed = 'fleet-remote';
    // What an operator would run on the second machine (here the TypeScript source, through tsx).
    const shard = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(PACKAGE_ROOT, 'harness', 'fleet', 'fleet-worker.ts'),
        ...['--broker', mosquitto.url, '--seed', seed, '--namespace', namespace],
        ...['--shard', '1', '--first', '60', '--count', '60'],
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => shard.once('exit', (code) => resolve(code)));
    try {
      const fleet = await Fleet.start({
        seed,
        start,
        devices: 60,
        workers: 1,
        brokerUrl: mosquitto.url,
        namespace,
        remoteShards: [{ shard: 1, first: 60, count: 60 }],
      });
      try {
        expect(fleet.deviceCount).toBe(120);
        const supplier = fleet.stack.user('supplier-a');
        const outcomes = await Promise.all(
          Array.from(
            { length: 120 },
            (_, i) => supplier.request({ srv: '11.2', target: fleet.eui(i) }).final,
          ),
        );
        expect(
          outcomes.filter((o) => o.kind === 'response' && o.response.responseCode === 'I0'),
        ).toHaveLength(120);
        await fleet.advanceTo(start + 30 * 86_400_000);
        const read = await supplier.request({ srv: '4.1.1', target: fleet.eui(119) }).final;
        // 30 days at the simulated 400 W: the remote device's clock followed the DCC's.
        expect(read.kind === 'response' ? read.response.body?.importRegisterWh : undefined).toBe(288_000);
      } finally {
        await fleet.stop();
      }
      expect(await exited).toBe(0);
    } finally {
      if (shard.exitCode === null) shard.kill();
    }
  }, 120_000);
});
