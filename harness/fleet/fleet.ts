import { type ChildProcess, fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MqttClient } from 'mqtt';
import type { Eui, SmiRecord } from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { deriveDeviceDsKeys, deriveDeviceKaKeys } from '../../simulator/pki/index.js';
import { partyByName } from '../stack/parties.js';
import { SimStack } from '../stack/sim-stack.js';
import { FLEET_CPL, FLEET_MODEL, fleetEui } from './fleet-devices.js';
import type { FromWorker, ToWorker, WorkerStart } from './fleet-protocol.js';
import type { ShardTimeReport } from './fleet-shard.js';
import { connectControl, fleetControlTopics } from './remote-shard.js';
import { RemoteTimeAcks } from './remote-time-acks.js';

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
  /**
   * Shards run on other machines (fleet-worker.js started by hand there, remote-shard.ts), on
   * the external `brokerUrl`. Their device indices follow this process's own 0 .. devices - 1.
   */
  readonly remoteShards?: readonly RemoteShard[];
}

export interface RemoteShard {
  readonly shard: number;
  readonly first: number;
  readonly count: number;
}

export interface WorkerReport {
  readonly shard: number;
  /** The worker's process id. */
  readonly pid: number | undefined;
  readonly devices: number;
  readonly startMs: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
}

/** Real-time step while device commands are with the workers, and the most a settle may wait. */
const FLEET_SETTLE_STEP_MS = 1;
const FLEET_SETTLE_GUARD_MS = 60_000;

/** How long a worker may take to start its share before the fleet gives up, real ms. */
const WORKER_START_GUARD_MS = 300_000;

/**
 * Devices sharded across worker processes, the DCC and the DCC Users in this one, all meeting on
 * one MQTT broker — the embedded one, or an external broker any number of machines can reach.
 *
 * Settling: this process's ActivityTracker sees every message the DCC and the suppliers handle,
 * but not a command on its way to a worker or being handled there. The DCC itself knows those:
 * each device command waits in its `pending` table until the device's answer (a response, or an
 * alert for a rejection) is handled here. So the fleet is settled when the tracker is idle AND
 * no command awaits a device's answer; until then it waits in steps of FLEET_SETTLE_STEP_MS real
 * time for the workers (other processes) to catch up. Device timers (future-dated commands,
 * activation reboots) run in the workers, on clocks that follow this one: each time report says
 * when the next is due, that instant goes on this clock as a stop, and settling also waits for
 * every message the devices say they sent. Limit: `stack.devices` holds no remote device.
 */
export class Fleet {
  private timeAcks = 0;
  /** Each local worker's last time report: what its devices sent, its next device timer. */
  private readonly workerReports = new Map<ChildProcess, ShardTimeReport>();
  /** Device-timer instants already on the main clock (so advanceTo stops there). */
  private readonly deviceTimerStops = new Set<number>();
  /** The DCC's count of commands to devices at the last time report: later ones may set timers. */
  private commandsAtLastReport = 0;

  private constructor(
    readonly stack: SimStack,
    private readonly workers: readonly ChildProcess[],
    readonly reports: readonly WorkerReport[],
    readonly deviceCount: number,
    private readonly control: MqttClient | undefined,
    private readonly remoteTime: RemoteTimeAcks | undefined,
  ) {}

  static async start(options: FleetOptions): Promise<Fleet> {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new RangeError(`a fleet needs at least one worker, got ${options.workers}`);
    }
    const namespace = options.namespace ?? `fleet-${process.pid}-${Date.now() % 1_000_000}`;
    const preinstalled = options.preinstalled ?? true;
    const remote = options.remoteShards ?? [];
    checkRemoteShards(options, remote);
    const stack = await SimStack.start({
      seed: options.seed,
      start: options.start,
      devices: [],
      cpl: FLEET_CPL,
      namespace,
      ...(options.brokerUrl === undefined ? {} : { brokerUrl: options.brokerUrl }),
    });
    const workers: ChildProcess[] = [];
    let control: MqttClient | undefined;
    let remoteTime: RemoteTimeAcks | undefined;
    try {
      let remoteReady: Promise<void> = Promise.resolve();
      if (remote.length > 0) {
        const topics = fleetControlTopics(namespace);
        control = await connectControl(stack.brokerUrl, `${namespace}-fleet-control`);
        remoteReady = awaitRemoteShards(control, namespace, remote);
        remoteReady.catch(() => undefined); // awaited below; this only keeps an early failure handled
        remoteTime = await RemoteTimeAcks.follow(
          control,
          namespace,
          remote.map((shard) => shard.shard),
        );
        await control.publishAsync(topics.clock, JSON.stringify({ now: stack.clock.now() }), {
          qos: 1,
          retain: true,
        });
      }
      const shares = shareOut(options.devices, options.workers);
      const starting = shares.map((share, shard) => {
        // The embedded broker lets this shard's login in, for its own devices only.
        stack.admitDeviceGateway(
          shard,
          Array.from({ length: share.count }, (_, i) => fleetEui(share.first + i)),
        );
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
      await remoteReady;
      // Remote shards' keys are derived here: same seed, same keys, no channel needed.
      for (const shard of remote) {
        for (let i = 0; i < shard.count; i++) {
          const eui = fleetEui(shard.first + i);
          stack.dcc.administer({
            kind: 'enrolDevice',
            device: eui,
            kaPublic: deriveDeviceKaKeys(options.seed, eui).publicKey,
            dsPublic: deriveDeviceDsKeys(options.seed, eui).publicKey,
            ...(preinstalled ? { record: commissionedRecord(stack, eui) } : {}),
          });
        }
      }
      // The DCC's SMKI and SMI learn the fleet's devices, as SimStack does for local ones.
      const reports: WorkerReport[] = [];
      for (const [shard, report] of started.entries()) {
        const share = shares[shard] as { first: number; count: number };
        const keys = Buffer.from(report.kaPublic, 'base64');
        for (let i = 0; i < share.count; i++) {
          const eui = fleetEui(share.first + i);
          stack.dcc.administer({
            kind: 'enrolDevice',
            device: eui,
            kaPublic: new Uint8Array(keys.subarray(i * 65, i * 65 + 65)),
            dsPublic: deriveDeviceDsKeys(options.seed, eui).publicKey,
            ...(preinstalled ? { record: commissionedRecord(stack, eui) } : {}),
          });
        }
        reports.push({
          shard,
          pid: workers[shard]?.pid,
          devices: share.count,
          startMs: report.startMs,
          rssBeforeMb: report.rssBeforeMb,
          rssAfterMb: report.rssAfterMb,
        });
      }
      const total = options.devices + remote.reduce((sum, shard) => sum + shard.count, 0);
      return new Fleet(stack, workers, reports, total, control, remoteTime);
    } catch (err) {
      for (const worker of workers) worker.kill();
      await control?.endAsync();
      await stack.stop();
      throw err;
    }
  }

  /** The EUI of fleet device `index`. */
  eui(index: number): Eui {
    return fleetEui(index);
  }

  /**
   * Resolves when no message is in flight here, no device command awaits its answer, and every
   * message the workers' devices said they sent (at the last time report) has reached the DCC.
   */
  async settle(): Promise<void> {
    const deadline = performance.now() + FLEET_SETTLE_GUARD_MS;
    const pending = this.stack.dcc.view.pending;
    for (;;) {
      await this.stack.settle();
      const missing = this.sentByDevices() - this.stack.dcc.messagesFromDevices;
      if (pending.size === 0 && missing <= 0) return;
      if (performance.now() > deadline) {
        throw new TrialsimError(
          'SETTLE_TIMEOUT',
          `${pending.size} device commands still unanswered and ${Math.max(0, missing)} device messages not arrived after ${FLEET_SETTLE_GUARD_MS} ms (a worker stopped?)`,
        );
      }
      // The answers are being worked on in other processes: nothing here to wait on but time.
      await new Promise((resolve) => setTimeout(resolve, FLEET_SETTLE_STEP_MS));
    }
  }

  /** Moves virtual time on, as SimStack.advanceTo does, and the workers' device clocks with it. */
  async advanceTo(target: number): Promise<number> {
    await this.settle();
    await this.syncTime(); // fresh reports: commands since the last may have set device timers
    const fired = await this.stack.clock.advanceTo(
      target,
      async () => {
        await this.settle();
        // A device timer in a worker is due, or the DCC has sent commands that may have set one:
        // the workers fire what is due and report what they sent and their next timer.
        const due = this.nextDeviceTimer();
        const commanded = this.stack.dcc.messagesToDevices !== this.commandsAtLastReport;
        if (commanded || (due !== undefined && due <= this.stack.clock.now())) {
          await this.syncTime();
          await this.settle();
        }
      },
      (_label, at) => {
        this.broadcast({ type: 'time', now: at });
        void this.control?.publishAsync(this.controlTopics.clock, JSON.stringify({ now: at }), {
          qos: 1,
          retain: true,
        });
      },
    );
    await this.syncTime();
    await this.settle();
    return fired;
  }

  /** Messages the workers' devices had sent at their last time report. */
  private sentByDevices(): number {
    let sent = 0;
    for (const report of this.workerReports.values()) sent += report.sent;
    for (const report of this.remoteTime?.reports.values() ?? []) sent += report.sent;
    return sent;
  }

  /** The earliest device timer any worker has set, as last reported. */
  private nextDeviceTimer(): number | undefined {
    const reports = [...this.workerReports.values(), ...(this.remoteTime?.reports.values() ?? [])];
    const due = reports.flatMap((report) => (report.nextDue === undefined ? [] : [report.nextDue]));
    return due.length === 0 ? undefined : Math.min(...due);
  }

  /**
   * Puts the workers' next device timer on the main clock as a stop, so advanceTo halts at that
   * instant: the workers then fire it at its own time and the DCC hears of it at that time.
   */
  private stopAtNextDeviceTimer(): void {
    const due = this.nextDeviceTimer();
    if (due === undefined || due <= this.stack.clock.now() || this.deviceTimerStops.has(due)) return;
    this.deviceTimerStops.add(due);
    this.stack.clock.schedule(due, 'device timers due in fleet workers', () => {
      this.deviceTimerStops.delete(due);
    });
  }

  /** Tells every worker the virtual time and waits until each has it. */
  async syncTime(): Promise<void> {
    const ack = ++this.timeAcks;
    this.commandsAtLastReport = this.stack.dcc.messagesToDevices;
    // Remote shards get the time retained on the broker and acknowledge it (RemoteTimeAcks).
    await this.control?.publishAsync(
      this.controlTopics.clock,
      JSON.stringify({ now: this.stack.clock.now() }),
      {
        qos: 1,
        retain: true,
      },
    );
    await this.remoteTime?.until(this.stack.clock.now());
    const now = this.stack.clock.now();
    const reports = await Promise.all(this.workers.map((worker, shard) => tellTime(worker, shard, now, ack)));
    for (const [shard, report] of reports.entries()) {
      this.workerReports.set(this.workers[shard] as ChildProcess, report);
    }
    this.stopAtNextDeviceTimer();
  }

  async stop(): Promise<void> {
    if (this.control !== undefined) {
      await this.control.publishAsync(this.controlTopics.stop, 'stop', { qos: 1 });
      await this.control.publishAsync(this.controlTopics.clock, '', { qos: 1, retain: true });
      await this.control.endAsync();
    }
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

  private get controlTopics() {
    return fleetControlTopics(this.stack.topics.namespace);
  }

  private broadcast(message: ToWorker): void {
    // A worker gone meanwhile is reported by the next syncTime; here it must not raise 'error'.
    for (const worker of this.workers) if (worker.connected) worker.send(message, () => {});
  }
}

function checkRemoteShards(options: FleetOptions, remote: readonly RemoteShard[]): void {
  if (remote.length === 0) return;
  if (options.brokerUrl === undefined) {
    throw new TrialsimError(
      'FLEET_REMOTE_NEEDS_BROKER',
      'remote shards need an external broker (brokerUrl) both machines reach',
    );
  }
  const ranges = [{ first: 0, count: options.devices }, ...remote].sort((a, b) => a.first - b.first);
  for (let i = 1; i < ranges.length; i++) {
    const before = ranges[i - 1] as { first: number; count: number };
    if ((ranges[i] as { first: number }).first < before.first + before.count) {
      throw new TrialsimError(
        'FLEET_OVERLAP',
        'fleet shards overlap: each device index must belong to one shard',
      );
    }
  }
  const shards = new Set(remote.map((r) => r.shard));
  if (shards.size !== remote.length || remote.some((r) => r.shard < options.workers)) {
    throw new TrialsimError(
      'FLEET_OVERLAP',
      `remote shard numbers must be unique and ≥ ${options.workers} (local workers use 0..${options.workers - 1})`,
    );
  }
}

/** Resolves once every remote shard has said it is ready (retained, so order does not matter). */
function awaitRemoteShards(
  control: MqttClient,
  namespace: string,
  remote: readonly RemoteShard[],
): Promise<void> {
  const topics = fleetControlTopics(namespace);
  const waiting = new Map(remote.map((shard) => [topics.ready(shard.shard), shard]));
  return new Promise<void>((resolve, reject) => {
    const guard = setTimeout(
      () =>
        reject(
          new TrialsimError(
            'FLEET_START_FAILED',
            `remote shards not ready within ${WORKER_START_GUARD_MS} ms: ${[...waiting.values()].map((s) => s.shard).join(', ')}`,
          ),
        ),
      WORKER_START_GUARD_MS,
    );
    const onMessage = (topic: string, payload: Buffer) => {
      const shard = waiting.get(topic);
      if (shard === undefined || payload.length === 0) return;
      const said = JSON.parse(payload.toString()) as { first: number; count: number };
      if (said.first !== shard.first || said.count !== shard.count) {
        clearTimeout(guard);
        control.off('message', onMessage);
        reject(
          new TrialsimError(
            'FLEET_START_FAILED',
            `remote shard ${shard.shard} runs ${said.count} devices from ${said.first}, not ${shard.count} from ${shard.first}`,
          ),
        );
        return;
      }
      waiting.delete(topic);
      if (waiting.size === 0) {
        clearTimeout(guard);
        control.off('message', onMessage);
        resolve();
      }
    };
    control.on('message', onMessage);
    void control.subscribeAsync(topics.ready('+'), { qos: 1 });
  });
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

/** Tells a worker the virtual time; resolves with its report, or fails if the worker does. */
function tellTime(worker: ChildProcess, shard: number, now: number, ack: number): Promise<ShardTimeReport> {
  return new Promise((resolve, reject) => {
    const done = () => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    const onMessage = (message: FromWorker) => {
      if (message.type === 'timeAck' && message.ack === ack) {
        done();
        resolve({ sent: message.sent, nextDue: message.nextDue ?? undefined });
      } else if (message.type === 'failed') {
        done();
        reject(new TrialsimError('FLEET_WORKER_FAILED', `fleet worker ${shard} failed: ${message.message}`));
      }
    };
    const onExit = (code: number | null) => {
      done();
      reject(
        new TrialsimError(
          'FLEET_WORKER_FAILED',
          `fleet worker ${shard} exited (code ${code}) during the run`,
        ),
      );
    };
    if (!worker.connected) {
      reject(new TrialsimError('FLEET_WORKER_FAILED', `fleet worker ${shard} is no longer running`));
      return;
    }
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    // With a callback, a channel that broke a moment ago is an error here, not an 'error' event.
    worker.send({ type: 'time', now, ack } satisfies ToWorker, (err) => {
      if (err === null) return;
      done();
      reject(
        new TrialsimError('FLEET_WORKER_FAILED', `fleet worker ${shard} is unreachable: ${err.message}`),
      );
    });
  });
}

function startWorker(
  worker: ChildProcess,
  order: WorkerStart,
): Promise<Extract<FromWorker, { type: 'started' }>> {
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      reject(
        new TrialsimError(
          'FLEET_START_FAILED',
          `worker ${order.shard} did not start within ${WORKER_START_GUARD_MS} ms`,
        ),
      );
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
      reject(
        new TrialsimError('FLEET_START_FAILED', `worker ${order.shard} exited (code ${code}) while starting`),
      );
    };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    worker.send(order satisfies ToWorker);
  });
}

/** A fleet device the DCC holds as installed and commissioned from now (`preinstalled`). */
function commissionedRecord(stack: SimStack, eui: Eui): SmiRecord {
  const start = stack.clock.now();
  return {
    deviceId: eui,
    ...FLEET_MODEL,
    status: 'Commissioned',
    chfId: undefined,
    supplier: partyByName('supplier-a').eui,
    networkOperator: partyByName('network-operator').eui,
    trialId: undefined,
    history: [{ at: start, from: null, to: 'Commissioned', cause: 'preinstalled' }],
  };
}
