import { type ChildProcess, fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Eui } from '../../simulator/domain/eui.js';
import { TrialsimError } from '../../simulator/errors.js';
import { partyByName } from '../stack/parties.js';
import { SimStack } from '../stack/sim-stack.js';
import { FLEET_CPL, FLEET_MODEL, fleetEui } from './fleet-devices.js';
import type { FromWorker, ToWorker, WorkerStart } from './fleet-protocol.js';

export interface FleetOptions {
  readonly seed: string;
  /** Virtual start instant, ms. */
  readonly start: number;
  /** Simulated devices in all; fleet indices 0 .. devices - 1 (fleet-devices.ts). */
  readonly devices: number;
  /** Worker processes to share them; at least 1. */
  readonly workers: number;
  /** `mqtt://host:port` of an external broker (mosquitto, EMQX…); omitted → aedes in this process. */
  readonly brokerUrl?: string;
  /** Devices installed and commissioned before the run (the default), or fresh from the factory. */
  readonly preinstalled?: boolean;
  readonly namespace?: string;
  /** Heap limit per worker, MB (node's default may be too small for 50k devices a worker). */
  readonly workerHeapMb?: number;
}

export interface WorkerReport {
  readonly shard: number;
  readonly devices: number;
  readonly startMs: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
}

/** How long a worker may take to start its share before the fleet gives up, real ms. */
const WORKER_START_GUARD_MS = 300_000;

/**
 * Devices sharded across worker processes, the DCC and the DCC Users in this one, all meeting on
 * one MQTT broker — the embedded one, or an external broker any number of machines can reach.
 *
 * Settling works as in a single process: this process's ActivityTracker counts every command the
 * DCC sends to a device as in flight (the workers' topics are registered as if local), and a
 * device answers every frame with exactly one frame (a response, or an alert for a rejection),
 * which the DCC handles here — so the command's unit passes to the answer, and the count reaches
 * zero only when the whole exchange is over. Limits: device timers (future-dated commands) do not
 * run in workers, and `stack.devices` holds no remote device.
 */
export class Fleet {
  private timeAcks = 0;

  private constructor(
    readonly stack: SimStack,
    private readonly workers: readonly ChildProcess[],
    readonly reports: readonly WorkerReport[],
    readonly deviceCount: number,
  ) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new RangeError(`a fleet needs at least one worker, got ${options.workers}`);
    }
    const namespace = options.namespace ?? `fleet-${process.pid}-${Date.now() % 1_000_000}`;
    const preinstalled = options.preinstalled ?? true;
    const stack = await SimStack.start({
      seed: options.seed,
      start: options.start,
      devices: [],
      cpl: FLEET_CPL,
      namespace,
      ...(options.brokerUrl === undefined ? {} : { brokerUrl: options.brokerUrl }),
    });
    const workers: ChildProcess[] = [];
    try {
      const shares = shareOut(options.devices, options.workers);
      const starting = shares.map((share, shard) => {
        const worker = spawnWorker(options.workerHeapMb);
        workers.push(worker);
        const order: WorkerStart = {
          type: 'start',
          shard,
          seed: options.seed,
          namespace,
          brokerUrl: stack.brokerUrl,
          now: stack.clock.now(),
          first: share.first,
          count: share.count,
          preinstalled,
        };
        return startWorker(worker, order);
      });
      const started = await Promise.all(starting);
      const state = stack.dcc.core.state;
      // The DCC's SMKI and SMI learn the fleet's devices, as SimStack does for local ones.
      const reports: WorkerReport[] = [];
      for (const [shard, report] of started.entries()) {
        const share = shares[shard] as { first: number; count: number };
        const keys = Buffer.from(report.kaPublic, 'base64');
        for (let i = 0; i < share.count; i++) {
          const eui = fleetEui(share.first + i);
          state.smki.set(eui, { kaPublic: new Uint8Array(keys.subarray(i * 65, i * 65 + 65)) });
          if (preinstalled) registerCommissioned(stack, eui);
        }
        reports.push({
          shard,
          devices: share.count,
          startMs: report.startMs,
          rssBeforeMb: report.rssBeforeMb,
          rssAfterMb: report.rssAfterMb,
        });
      }
      // Commands to any fleet device count as in flight until the device's answer is handled here.
      const someDown = stack.topics.wanDown(fleetEui(0));
      stack.tracker.registerLocalSubscriber([`${someDown.slice(0, someDown.lastIndexOf('/'))}/+`]);
      return new Fleet(stack, workers, reports, options.devices);
    } catch (err) {
      for (const worker of workers) worker.kill();
      await stack.stop();
      throw err;
    }
  }

  /** The EUI of fleet device `index`. */
  eui(index: number): Eui {
    return fleetEui(index);
  }

  settle(): Promise<void> {
    return this.stack.settle();
  }

  /** Moves virtual time on, as SimStack.advanceTo does, and the workers' device clocks with it. */
  async advanceTo(target: number): Promise<number> {
    await this.stack.settle();
    const fired = await this.stack.clock.advanceTo(
      target,
      () => this.stack.settle(),
      (_label, at) => this.broadcast({ type: 'time', now: at }),
    );
    await this.syncTime();
    return fired;
  }

  /** Tells every worker the virtual time and waits until each has it. */
  async syncTime(): Promise<void> {
    const ack = ++this.timeAcks;
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const onMessage = (message: FromWorker) => {
              if (message.type === 'timeAck' && message.ack === ack) {
                worker.off('message', onMessage);
                resolve();
              }
            };
            worker.on('message', onMessage);
            worker.send({ type: 'time', now: this.stack.clock.now(), ack } satisfies ToWorker);
          }),
      ),
    );
  }

  async stop(): Promise<void> {
    await Promise.allSettled(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker.connected) {
              resolve();
              return;
            }
            worker.once('exit', () => resolve());
            worker.send({ type: 'stop' } satisfies ToWorker);
          }),
      ),
    );
    await this.stack.stop();
  }

  private broadcast(message: ToWorker): void {
    for (const worker of this.workers) if (worker.connected) worker.send(message);
  }
}

function shareOut(devices: number, workers: number): { first: number; count: number }[] {
  const base = Math.floor(devices / workers);
  const extra = devices % workers;
  const shares: { first: number; count: number }[] = [];
  let first = 0;
  for (let shard = 0; shard < workers; shard++) {
    const count = base + (shard < extra ? 1 : 0);
    shares.push({ first, count });
    first += count;
  }
  return shares;
}

function spawnWorker(heapMb: number | undefined): ChildProcess {
  // Built JS runs as is; under vitest the sources are TypeScript, which tsx loads.
  const ext = extname(fileURLToPath(import.meta.url));
  const path = fileURLToPath(new URL(`./fleet-worker${ext}`, import.meta.url));
  const execArgv = [
    '--expose-gc',
    ...(ext === '.ts' ? ['--import', 'tsx'] : []),
    ...(heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`]),
  ];
  return fork(path, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function startWorker(
  worker: ChildProcess,
  order: WorkerStart,
): Promise<Extract<FromWorker, { type: 'started' }>> {
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      reject(new TrialsimError('FLEET_START_FAILED', `worker ${order.shard} did not start within ${WORKER_START_GUARD_MS} ms`));
    }, WORKER_START_GUARD_MS);
    const done = () => {
      clearTimeout(guard);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    const onMessage = (message: FromWorker) => {
      if (message.type === 'started') {
        done();
        resolve(message);
      } else if (message.type === 'failed') {
        done();
        reject(new TrialsimError('FLEET_START_FAILED', `worker ${order.shard} failed: ${message.message}`));
      }
    };
    const onExit = (code: number | null) => {
      done();
      reject(new TrialsimError('FLEET_START_FAILED', `worker ${order.shard} exited (code ${code}) while starting`));
    };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    worker.send(order satisfies ToWorker);
  });
}

function registerCommissioned(stack: SimStack, eui: Eui): void {
  const start = stack.clock.now();
  stack.dcc.core.state.smi.set(eui, {
    deviceId: eui,
    ...FLEET_MODEL,
    status: 'Commissioned',
    chfId: undefined,
    supplier: partyByName('supplier-a').eui,
    networkOperator: partyByName('network-operator').eui,
    trialId: undefined,
    history: [{ at: start, from: null, to: 'Commissioned', cause: 'preinstalled' }],
  });
}
