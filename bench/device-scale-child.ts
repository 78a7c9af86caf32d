import { FLEET_CPL, fleetDeviceSpecs } from '../harness/fleet/fleet-devices.js';
import { SimStack } from '../harness/stack/sim-stack.js';
import { settledRssMb } from './bench-timing.js';

/**
 * One in-process scale measurement, in a fresh process so memory figures are its own:
 *   node --expose-gc dist/bench/device-scale-child.js <devices> <own|shared>
 * `own`: the default design (a client and certificates per device). `shared`: the scale option
 * (one connection for all devices, keys without certificates). Prints one JSON line.
 */
export interface ScaleSample {
  readonly devices: number;
  readonly mode: 'own' | 'shared';
  readonly startMs: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  /** Reads answered I0 out of those sent, spread over the fleet: the devices are live, not just allocated. */
  readonly probesAnswered: number;
  readonly probes: number;
}

async function main(): Promise<void> {
  const devices = Number(process.argv[2]);
  const mode = process.argv[3] === 'own' ? 'own' : 'shared';
  const specs = fleetDeviceSpecs(0, devices, { preinstalled: true });
  const rssBeforeMb = settledRssMb();
  const started = performance.now();
  const stack = await SimStack.start({
    seed: 'bench-scale',
    start: Date.UTC(2026, 0, 5),
    devices: specs,
    cpl: FLEET_CPL,
    namespace: `bench-scale-${process.pid}`,
    deviceConnection: mode,
    issueDeviceCertificates: mode === 'own',
  });
  const startMs = performance.now() - started;
  const rssAfterMb = settledRssMb();
  const probes = Math.min(devices, 50);
  const supplier = stack.user('supplier-a');
  const outcomes = await Promise.all(
    Array.from({ length: probes }, (_, i) => {
      const spec = specs[Math.floor((i * devices) / probes)];
      return spec === undefined ? undefined : supplier.request({ srv: '11.2', target: spec.eui }).final;
    }),
  );
  const probesAnswered = outcomes.filter(
    (o) => o?.kind === 'response' && o.response.responseCode === 'I0',
  ).length;
  await stack.stop();
  const sample: ScaleSample = { devices, mode, startMs, rssBeforeMb, rssAfterMb, probesAnswered, probes };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

await main();
