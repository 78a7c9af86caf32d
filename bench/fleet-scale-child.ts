import { Fleet } from '../harness/fleet/fleet.js';
import { settledRssMb } from './bench-timing.js';

/**
 * One fleet measurement in a fresh process (so its memory figures are its own):
 *   node --expose-gc dist/bench/fleet-scale-child.js <devices> <workers> [mqtt://broker]
 * Prints one JSON line.
 */
export interface FleetSample {
  readonly devices: number;
  readonly workers: number;
  readonly startMs: number;
  /** This process (broker unless external, DCC with every device in its SMI and SMKI, suppliers). */
  readonly mainRssBeforeMb: number;
  readonly mainRssAfterMb: number;
  /** Each worker's RSS before its devices were built and after. */
  readonly workerRssMb: readonly { before: number; after: number; devices: number }[];
  readonly probesAnswered: number;
  readonly probes: number;
}

async function main(): Promise<void> {
  const devices = Number(process.argv[2]);
  const workers = Number(process.argv[3]);
  const brokerUrl = process.argv[4];
  const mainRssBeforeMb = settledRssMb();
  const started = performance.now();
  const fleet = await Fleet.start({
    seed: 'bench-fleet',
    start: Date.UTC(2026, 0, 5),
    devices,
    workers,
    workerHeapMb: 4096,
    ...(brokerUrl === undefined ? {} : { brokerUrl }),
  });
  const startMs = performance.now() - started;
  const mainRssAfterMb = settledRssMb();
  const probes = Math.min(devices, 50);
  const supplier = fleet.stack.user('supplier-a');
  const outcomes = await Promise.all(
    Array.from(
      { length: probes },
      (_, i) =>
        supplier.request({ srv: '11.2', target: fleet.eui(Math.floor((i * devices) / probes)) }).final,
    ),
  );
  const probesAnswered = outcomes.filter(
    (o) => o.kind === 'response' && o.response.responseCode === 'I0',
  ).length;
  const sample: FleetSample = {
    devices,
    workers,
    startMs,
    mainRssBeforeMb,
    mainRssAfterMb,
    workerRssMb: fleet.reports.map((r) => ({
      before: r.rssBeforeMb,
      after: r.rssAfterMb,
      devices: r.devices,
    })),
    probesAnswered,
    probes,
  };
  await fleet.stop();
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

await main();
