import {
  ActivityTracker,
  type BrokerProbe,
  type BrokerRefusalSummary,
  type DuisServer,
  type EmbeddedBroker,
  FaultPlan,
  type SharedMqttConnection,
  Topics,
  TraceSpillFile,
} from '../../simulator/adapters/index.js';
import { type Eui, SharedSecretCache } from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { DccNode, type DeviceNode } from '../../simulator/nodes/index.js';
import type { DccUserAgent } from '../../simulator/parties/index.js';
import { generateTestPki, type TestPki } from '../../simulator/pki/index.js';
import { SeededRandom, VirtualClock } from '../../simulator/time/index.js';
import { MessageTrace } from '../../simulator/trace/index.js';
import { initialDcc } from './dcc-initial-state.js';
import {
  checkDescriptorBudget,
  fittingDeviceConnection,
  openFileCount,
  openFileLimit,
} from './descriptor-budget.js';
import type { DeviceSpec } from './device-spec.js';
import { type DuisUsers, startDuisUsers } from './duis-users.js';
import { faultyLinks } from './faulty-links.js';
import { pkiOrganisations, USER_PARTIES } from './parties.js';
import { RunFaults } from './run-faults.js';
import { type StackBroker, startStackBroker } from './stack-broker.js';
import { checkDeviceSpecs, startStackDevices } from './stack-devices.js';
import type { StackOptions } from './stack-options.js';
import { startUserAgents } from './user-agents.js';

// Part of the stack's public API: harness/dut, harness/fleet and the tests import them from here.
export { factoryTrustAnchors } from './factory-trust-anchors.js';
export type { StackOptions } from './stack-options.js';

/** How long a run waits, in real time, for the bus to go quiet before calling it an error. */
const SETTLE_GUARD_MS = 15_000;
/**
 * With Users on DUIS: each message is XSD-checked, and libxml2 parses the 240 kB schema on each
 * run (xsd-validator.ts; a few hundred ms, seconds on a loaded machine), so a device SR's three
 * checks (request, acknowledgement, callback) can outlast the MQTT guard.
 */
const DUIS_SETTLE_GUARD_MS = 120_000;

/** A device the stack does not simulate (a device under test, `--dut`), attached after start. */
export interface ExternalDevice {
  /** What is known of its state (for a real device: what it has shown on the wire). */
  readonly state: DeviceNode['state'];
  stop(): Promise<void>;
  /** What went wrong on its side since the last call (no answer, a second device), for a failing step. */
  explain?(): string | undefined;
  /** The firmware image it runs, where it showed it or the operator declared it. */
  readonly firmwareImage?: FirmwareImageEvidence | undefined;
}

/** A device under test's running image (SHA-256, hex), and who says so. */
export interface FirmwareImageEvidence {
  readonly hash: string;
  readonly from: 'shown by the device' | 'declared by the operator';
}

/**
 * One complete simulated world: a broker, the DCC, every DCC User as an agent, and the devices,
 * each with its own MQTT client, all on one virtual clock and one deterministic PKI.
 */
export class SimStack {
  private constructor(
    readonly clock: VirtualClock,
    readonly trace: MessageTrace,
    readonly tracker: ActivityTracker,
    readonly topics: Topics,
    readonly pki: TestPki,
    readonly dcc: DccNode,
    readonly users: ReadonlyMap<string, DccUserAgent>,
    readonly devices: ReadonlyMap<string, DeviceNode>,
    readonly deviceSpecs: ReadonlyMap<string, DeviceSpec>,
    readonly brokerUrl: string,
    private readonly broker: EmbeddedBroker | undefined,
    /** Fault injection (harness `fault` steps): per-link rules and device clock skews. */
    readonly faults: FaultPlan,
    /** Faults of the harness itself (a connection lost, a publish failed): the run fails on one. */
    readonly harnessFaults: RunFaults,
    private readonly bus: StackBroker,
    /** The DUIS endpoint, when some Users speak DUIS (StackOptions.duisUsers). */
    readonly duis: DuisServer | undefined = undefined,
    /** How the simulated devices reach the broker: each its own client, or one shared connection. */
    readonly deviceConnection: 'own' | 'shared' = 'own',
    /** What the external broker said about itself (StackBroker.probe); undefined when embedded. */
    readonly brokerProbe: BrokerProbe | undefined = undefined,
  ) {}

  private readonly externals = new Map<string, ExternalDevice>();

  static async start(options: StackOptions): Promise<SimStack> {
    const clock = new VirtualClock(options.start);
    const trace = new MessageTrace(options.spillTrace === true ? new TraceSpillFile() : undefined);
    const tracker = new ActivityTracker();
    const namespace =
      options.namespace ?? `run-${options.seed.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24) || 'seed'}`;
    const topics = new Topics(namespace);
    const faults = new FaultPlan(new SeededRandom(options.seed, 'faults'), (event) =>
      trace.add({ at: clock.now(), from: event.from, to: event.to, kind: 'fault', summary: event.summary }),
    );
    const harnessFaults = new RunFaults(trace, clock);
    // A delayed message whose publish fails when its time comes is a fault of the run, like
    // any other failed publish: traced with the link it was on, and failing the run.
    const faulty = faultyLinks(topics, options.devices, faults, clock, ({ from, message }) =>
      harnessFaults.report({ party: from, kind: 'publishFailed', code: 'DELAYED_PUBLISH_FAILED', message }),
    );
    const external = new Set(options.externalDevices ?? []);
    checkDeviceSpecs(options.devices);
    // Before the first connection: past the open-file limit a client fails as "read ECONNRESET".
    const simulated = options.devices.filter((d) => !external.has(d.id)).length;
    const limits = {
      embeddedBroker: options.brokerUrl === undefined,
      limit: openFileLimit(),
      inUse: openFileCount(),
    };
    const deviceConnection =
      options.deviceConnection === 'auto'
        ? fittingDeviceConnection({
            ...limits,
            otherClients: 1 + USER_PARTIES.length,
            ownClientDevices: simulated,
          })
        : (options.deviceConnection ?? 'own');
    const ownClientDevices = deviceConnection === 'shared' ? 0 : simulated;
    checkDescriptorBudget({
      clients: 1 + USER_PARTIES.length + ownClientDevices + (deviceConnection === 'shared' ? 1 : 0),
      ...limits,
      ownClientDevices,
    });
    const pki = await generateTestPki({
      seed: options.seed,
      notBefore: options.start - 365 * 86_400_000,
      organisations: pkiOrganisations(),
      devices: options.issueDeviceCertificates === false ? [] : options.devices.map((d) => d.eui),
    });
    const bus = await startStackBroker(options, {
      namespace,
      topics,
      trace,
      clock,
      tracker,
      onFault: harnessFaults.report,
    });
    const { broker, connect } = bus;
    // Two entries per device (DCC side and device side): a smaller cache thrashes on a fleet-wide read.
    const secrets = new SharedSecretCache(Math.max(4096, 2 * options.devices.length + 64));

    let gateway: SharedMqttConnection | undefined;
    let duis: DuisUsers | undefined;
    try {
      const { state, core, kaKeys } = initialDcc(options, pki, secrets);
      const dcc = await DccNode.start({
        transport: faulty(await connect({ role: 'dcc' }), 'dcc'),
        topics,
        core,
        clock,
        trace,
      });
      duis =
        (options.duisUsers ?? []).length === 0
          ? undefined
          : await startDuisUsers({ dcc, pki, clock, trace, tracker });
      const users = await startUserAgents(
        pki,
        topics,
        connect,
        faulty,
        { publicKey: (device) => state.smki.get(device)?.kaPublic, secrets },
        duis === undefined
          ? undefined
          : { names: new Set(options.duisUsers), agent: (party) => (duis as DuisUsers).agent(party) },
      );
      if (deviceConnection === 'shared') {
        // The one shard this stack starts, for its own devices only.
        bus.accessControl.admitDeviceGateway(
          0,
          options.devices.filter((d) => !external.has(d.id)).map((d) => d.eui),
        );
        gateway = await bus.connectDeviceGateway();
      }
      const { devices, specs } = await startStackDevices(options, {
        pki,
        kaKeys,
        seed: options.seed,
        dccState: state,
        external,
        gateway,
        connect,
        faulty,
        topics,
        clock,
        faults,
        secrets,
      });
      return new SimStack(
        clock,
        trace,
        tracker,
        topics,
        pki,
        dcc,
        users,
        devices,
        specs,
        bus.brokerUrl,
        broker,
        faults,
        harnessFaults,
        bus,
        duis?.server,
        deviceConnection,
        // Once every party is connected and subscribed: a broker busy admitting a fleet (and this
        // process busy connecting it) would slow some round trips and not others.
        await bus.probe?.(),
      );
    } catch (err) {
      await duis?.server.stop();
      // Everything opened so far, or its clients keep the process alive (and hang it).
      await bus.closeOpened();
      await gateway?.closeAll();
      await broker?.close();
      throw err;
    }
  }

  user(name: string): DccUserAgent {
    const agent = this.users.get(name);
    if (agent === undefined) {
      throw new TrialsimError(
        'UNKNOWN_PARTY',
        `unknown party "${name}" (known: ${[...this.users.keys()].join(', ')})`,
      );
    }
    return agent;
  }

  device(id: string): DeviceNode {
    const node = this.devices.get(id);
    if (node === undefined && this.externals.has(id)) {
      throw new TrialsimError(
        'NEEDS_SIMULATED_DEVICE',
        `${id} is a device under test here: this step needs a simulated device (its power, its clock or its memory)`,
      );
    }
    if (node === undefined) {
      throw new TrialsimError(
        'UNKNOWN_DEVICE',
        `unknown device "${id}" (known: ${[...this.devices.keys()].join(', ')})`,
      );
    }
    return node;
  }

  /** What the devices under test explain of a failure (external device `explain`), one line each. */
  externalDeviceNotes(): string[] {
    return [...this.externals.values()].flatMap((d) => d.explain?.() ?? []);
  }

  /** Attaches a device under test in place of one named in `externalDevices`; stop() stops it. */
  attachExternalDevice(id: string, device: ExternalDevice): void {
    this.deviceSpec(id);
    this.externals.set(id, device);
  }

  /** The device under test attached as `id`, if one is. */
  externalDevice(id: string): ExternalDevice | undefined {
    return this.externals.get(id);
  }

  /** A device's state: the simulated device's own, or what a device under test has shown. */
  deviceState(id: string): DeviceNode['state'] {
    return this.externals.get(id)?.state ?? this.device(id).state;
  }

  deviceSpec(id: string): DeviceSpec {
    const spec = this.deviceSpecs.get(id);
    if (spec === undefined) {
      throw new TrialsimError(
        'UNKNOWN_DEVICE',
        `unknown device "${id}" (known: ${[...this.deviceSpecs.keys()].join(', ')})`,
      );
    }
    return spec;
  }

  /**
   * Lets shared connection `shard` (a fleet worker's) log in to the embedded broker, speaking for
   * these devices only: the broker refuses a gateway login for a shard the run did not start.
   */
  admitDeviceGateway(shard: number, devices: Iterable<Eui>): void {
    this.bus.accessControl.admitDeviceGateway(shard, devices);
  }

  /**
   * Resolves when no message is in flight between in-process parties. Throws the run's first
   * harness fault (a party's connection lost or taken over, a failed publish, a handler that
   * threw) as soon as there is one, so no step waits on a bus that can no longer settle.
   */
  async settle(): Promise<void> {
    const fault = this.harnessFaults.first;
    if (fault !== undefined) throw fault;
    const failure = this.harnessFaults.failure();
    const guardMs = this.duis === undefined ? SETTLE_GUARD_MS : DUIS_SETTLE_GUARD_MS;
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TrialsimError(
              'SETTLE_TIMEOUT',
              `the bus did not go quiet within ${guardMs} ms: ${stuck(this.tracker)}`,
            ),
          ),
        guardMs,
      );
    });
    try {
      await Promise.race([this.tracker.whenIdle(), guard, failure.promise]);
    } finally {
      clearTimeout(timer);
      failure.cancel();
    }
  }

  /** Moves virtual time to `target`, firing every timer due on the way, settling after each. */
  async advanceTo(target: number): Promise<number> {
    await this.settle();
    return this.clock.advanceTo(target, () => this.settle());
  }

  /**
   * What the embedded broker refused (logins, publishes, subscriptions), counted and the first few
   * in full; undefined with an external broker, whose refusals trialsim never sees.
   */
  get brokerRefusals(): BrokerRefusalSummary | undefined {
    return this.broker === undefined ? undefined : this.bus.accessControl.refusalSummary();
  }

  /** Clients connected to the embedded broker now; undefined with an external broker. */
  get brokerClientCount(): number | undefined {
    return this.broker?.aedes.connectedClients;
  }

  /**
   * Fault: restarts the embedded broker (EmbeddedBroker.restart). Parties come back only if the
   * stack was started with `persistentSessions`; otherwise their connections stay down.
   */
  async restartBroker(): Promise<void> {
    if (this.broker === undefined) {
      throw new TrialsimError('BROKER_EXTERNAL', 'an external broker cannot be restarted by trialsim');
    }
    await this.broker.restart();
  }

  /**
   * Fault: the embedded broker stops for good, as if killed (every connection drops at once).
   * The run must then end with a harness error naming the lost connections, not hang or pass.
   */
  async killBroker(): Promise<void> {
    if (this.broker === undefined) {
      throw new TrialsimError('BROKER_EXTERNAL', 'an external broker cannot be stopped by trialsim');
    }
    await this.broker.close();
  }

  async stop(): Promise<void> {
    const closing = [
      this.dcc.stop(),
      ...[...this.users.values()].map((u) => u.stop()),
      ...[...this.devices.values()].map((d) => d.stop()),
      ...[...this.externals.values()].map((d) => d.stop()),
    ];
    await Promise.allSettled(closing);
    await this.duis?.stop();
    await this.broker?.close();
    // What was only counted goes in the trace as one line each (the evidence is read after stop).
    for (const line of [this.bus.accessControl.unkeptRefusals(), this.harnessFaults.untraced()]) {
      if (line !== undefined)
        this.trace.add({
          at: this.clock.now(),
          from: 'harness',
          to: 'harness',
          kind: 'notice',
          summary: line,
        });
    }
  }
}

/** Which way a bus that will not settle is stuck, for the settle guard's message. */
function stuck(tracker: ActivityTracker): string {
  const { topics, count } = tracker.undelivered();
  const inHand = tracker.pending - count;
  const parts: string[] = [];
  if (count > 0)
    parts.push(
      `${count} published ${count === 1 ? 'message' : 'messages'} never delivered (${topics.join(', ')}${count > topics.length ? ', …' : ''}): the broker may have stopped answering`,
    );
  if (inHand > 0) parts.push(`${inHand} ${inHand === 1 ? 'message' : 'messages'} still in a party's handler`);
  return parts.length === 0 ? 'nothing in flight any more' : parts.join('; ');
}
