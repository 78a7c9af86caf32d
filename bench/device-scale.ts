import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ScaleSample } from './device-scale-child.js';
import type { FigureTable } from './figure-table.js';
import { fixed } from './figure-table.js';
import type { FleetSample } from './fleet-scale-child.js';

const run = promisify(execFile);

async function child<T>(script: string, args: readonly string[]): Promise<T> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const { stdout } = await run(process.execPath, ['--expose-gc', path, ...args], { maxBuffer: 1 << 24 });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as T;
}

export interface ScaleConfig {
  /** Devices for the default design (a client and certificates each). */
  readonly ownDevices: number;
  /** Devices in one process on a shared connection. */
  readonly sharedDevices: readonly number[];
  /** Devices across worker processes. */
  readonly fleetDevices: number;
  readonly fleetWorkers: number;
  readonly brokerUrl: string | undefined;
}

const SECTION = '2. Memory per device and start-up time';

/** Section 2: each size in a fresh process; per-device memory net of a stack with no device. */
export async function scaleSection(config: ScaleConfig, table: FigureTable): Promise<void> {
  table.startSection(SECTION);
  const base = await child<ScaleSample>('./device-scale-child.js', ['0', 'shared']);
  const baseGrowth = base.rssAfterMb - base.rssBeforeMb;
  table.note(
    'own = the default design (each device its own MQTT client and certificates); shared = the scale option ' +
      '(one connection for all devices, keys without certificates); workers = a fleet (harness/fleet): devices ' +
      'in worker processes on shared connections, DCC and suppliers in the main process. Each size runs in a ' +
      `fresh process; memory is RSS growth net of a stack with no device (${fixed(baseGrowth, 1)} MB), DCC-side records included.`,
  );
  const inProcess = async (devices: number, mode: 'own' | 'shared', label: string) => {
    const sample = await child<ScaleSample>('./device-scale-child.js', [String(devices), mode]);
    const perDeviceKb = ((sample.rssAfterMb - sample.rssBeforeMb - baseGrowth) * 1024) / devices;
    const live = `${sample.probesAnswered}/${sample.probes} probe reads answered`;
    const rssTarget = devices === 10_000 && mode === 'shared';
    table.add({
      section: SECTION,
      what: `${fixed(devices)} devices, ${label}, 1 process: memory/device`,
      value: `${fixed(perDeviceKb, 1)} KB`,
      beside: rssTarget
        ? `process RSS ${fixed(sample.rssAfterMb)} MB (target < 300 MB); ${live}`
        : `process RSS ${fixed(sample.rssAfterMb)} MB; ${live}`,
      met: rssTarget ? sample.rssAfterMb < 300 && sample.probesAnswered === sample.probes : undefined,
    });
    table.add({
      section: SECTION,
      what: `${fixed(devices)} devices, ${label}, 1 process: start-up`,
      value: `${fixed(sample.startMs / 1000, 2)} s`,
      beside: `${fixed((sample.startMs * 1000) / devices)} µs per device`,
      met: undefined,
    });
  };
  await inProcess(config.ownDevices, 'own', 'own');
  for (const devices of config.sharedDevices) await inProcess(devices, 'shared', 'shared');

  const args = [String(config.fleetDevices), String(config.fleetWorkers)];
  if (config.brokerUrl !== undefined) args.push(config.brokerUrl);
  const fleet = await child<FleetSample>('./fleet-scale-child.js', args);
  const workerGrowth = fleet.workerRssMb.reduce((sum, w) => sum + (w.after - w.before), 0);
  const mainGrowth = fleet.mainRssAfterMb - fleet.mainRssBeforeMb - baseGrowth;
  const perDeviceKb = ((workerGrowth + mainGrowth) * 1024) / fleet.devices;
  const totalRss = fleet.mainRssAfterMb + fleet.workerRssMb.reduce((sum, w) => sum + w.after, 0);
  const where = config.brokerUrl === undefined ? 'embedded broker' : config.brokerUrl;
  table.add({
    section: SECTION,
    what: `${fixed(fleet.devices)} devices, ${fleet.workers} worker processes: memory/device`,
    value: `${fixed(perDeviceKb, 1)} KB`,
    beside: `all processes ${fixed(totalRss)} MB RSS (main ${fixed(fleet.mainRssAfterMb)}); ${fleet.probesAnswered}/${fleet.probes} probe reads answered; ${where}`,
    met: fleet.devices >= 100_000 ? fleet.probesAnswered === fleet.probes : undefined,
  });
  table.add({
    section: SECTION,
    what: `${fixed(fleet.devices)} devices, ${fleet.workers} worker processes: start-up`,
    value: `${fixed(fleet.startMs / 1000, 2)} s`,
    beside:
      fleet.devices >= 100_000
        ? 'target: 100,000 devices across processes (met when every probe read is answered)'
        : `--quick: ${fixed(fleet.devices)} devices; the full bench runs 100,000`,
    met: fleet.devices >= 100_000 ? fleet.probesAnswered === fleet.probes : undefined,
  });
}
