import { FaultPlan } from '../../simulator/adapters/faults/fault-plan.js';
import { FaultyTransport } from '../../simulator/adapters/faults/faulty-transport.js';
import { ActivityTracker } from '../../simulator/adapters/mqtt/activity-tracker.js';
import {
  BrokerAccessControl,
  type BrokerPrincipal,
  brokerClientId,
  deriveBrokerCredentials,
  describeRefusal,
} from '../../simulator/adapters/mqtt/broker-access-control.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../simulator/adapters/mqtt/embedded-broker.js';
import { MqttTransport } from '../../simulator/adapters/mqtt/mqtt-transport.js';
import { SharedMqttConnection } from '../../simulator/adapters/mqtt/shared-mqtt-connection.js';
import { MAX_MESSAGE_BYTES } from '../../simulator/adapters/wire/cbor-codec.js';
import { cborGbcsCodec } from '../../simulator/adapters/wire/envelope.js';
import { Topics } from '../../simulator/adapters/wire/topics.js';
import type { CplEntry } from '../../simulator/domain/cpl/cpl-entry.js';
import { DccCore } from '../../simulator/domain/dcc/dcc-core.js';
import { newDccState } from '../../simulator/domain/dcc/dcc-state.js';
import { addCplEntry } from '../../simulator/domain/dcc/trial-administration.js';
import { newDeviceState } from '../../simulator/domain/device/device-state.js';
import { isType2 } from '../../simulator/domain/device/device-types.js';
import type { TrustAnchorCell } from '../../simulator/domain/device/trust-anchors.js';
import type { Eui } from '../../simulator/domain/eui.js';
import { SharedSecretCache } from '../../simulator/domain/gbcs/protection/shared-secret-cache.js';
import { TrialsimError } from '../../simulator/errors.js';
import { DccNode } from '../../simulator/nodes/dcc-node.js';
import { DeviceNode } from '../../simulator/nodes/device-node.js';
import { DccUserAgent } from '../../simulator/parties/dcc-user-agent.js';
import type { KeyPair } from '../../simulator/pki/key-pair.js';
import {
  deriveDeviceKaKeys,
  generateTestPki,
  type OrganisationCredentials,
  type TestPki,
} from '../../simulator/pki/test-pki.js';
import type { Transport } from '../../simulator/ports/transport.js';
import { SeededRandom } from '../../simulator/time/seeded-random.js';
import { VirtualClock } from '../../simulator/time/virtual-clock.js';
import { MessageTrace } from '../../simulator/trace/message-trace.js';
import { deviceProfileOf, upstreamOf } from './device-profile.js';
import type { DeviceSpec } from './device-spec.js';
import { DCC_EUI, DEFAULT_PARTIES, partyByName, USER_PARTIES } from './parties.js';

export interface StackOptions {
  readonly seed: string;
  /** Virtual start instant, ms. */
  readonly start: number;
  /** `mqtt://host:port` of an external broker; omitted → aedes embedded on loopback. */
  readonly brokerUrl?: string;
  /** Topic namespace; defaults to one derived from the seed, so parallel runs never meet. */
  readonly namespace?: string;
  readonly devices: readonly DeviceSpec[];
  readonly cpl: readonly CplEntry[];
  readonly responseTimeoutMs?: number;
  /**
   * Persistent MQTT sessions (clean: false) with automatic reconnection, so a broker restart
   * loses no message (test/reliability). Off by default: a run that loses its broker says so.
   */
  readonly persistentSessions?: boolean;
  /**
   * 'own' (the default): each device has its own MQTT client and client id, like every other
   * party. 'shared': all devices share one connection (SharedMqttConnection) — for fleets of
   * thousands, where a client each costs more memory and start-up time than the device itself.
   */
  readonly deviceConnection?: 'own' | 'shared';
  /**
   * false: derive each device's keys without issuing its certificates (a certificate costs
   * milliseconds; 10k devices, minutes). The keys are the ones the certificates would certify,
   * but `pki.devices` is then empty. Default true.
   */
  readonly issueDeviceCertificates?: boolean;
  /**
   * Scenario device ids NOT to simulate: real devices under test (`--dut`) take their place on
   * the bus. They keep their spec, SMI record and keys; only the DeviceNode is missing.
   */
  readonly externalDevices?: readonly string[];
}

/** Real-time pause between reconnection attempts when sessions are persistent. */
const RECONNECT_PERIOD_MS = 50;

/** Devices with their own clients connecting at once while a stack starts. */
const DEVICE_CONNECT_BATCH = 32;

/** How long a run waits, in real time, for the bus to go quiet before calling it an error. */
const SETTLE_GUARD_MS = 15_000;

/** A device the stack does not simulate (a device under test, `--dut`), attached after start. */
export interface ExternalDevice {
  /** What is known of its state (for a real device: what it has shown on the wire). */
  readonly state: DeviceNode['state'];
  stop(): Promise<void>;
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
  ) {}

  private readonly externals = new Map<string, ExternalDevice>();

  static async start(options: StackOptions): Promise<SimStack> {
    const clock = new VirtualClock(options.start);
    const trace = new MessageTrace();
    const tracker = new ActivityTracker();
    const namespace =
      options.namespace ?? `run-${options.seed.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24) || 'seed'}`;
    const topics = new Topics(namespace);
    const faults = new FaultPlan(new SeededRandom(options.seed, 'faults'), (event) =>
      trace.add({ at: clock.now(), from: event.from, to: event.to, kind: 'fault', summary: event.summary }),
    );
    const partyNameByEui = new Map<string, string>(USER_PARTIES.map((p) => [p.eui, p.name]));
    const deviceIdByEui = new Map<string, string>(options.devices.map((d) => [d.eui, d.id]));
    // A link end is `dcc`, a party name or a scenario device id (fault rules name links so).
    const recipientOf = (topic: string): string | undefined => {
      const route = topics.route(topic);
      if (route === undefined) return undefined;
      if (route.channel === 'dccIn' || route.channel === 'wanUp') return 'dcc';
      return (route.channel === 'dccOut' ? partyNameByEui : deviceIdByEui).get(route.party);
    };
    const faulty = (transport: Transport, self: string): Transport =>
      new FaultyTransport(transport, self, recipientOf, faults, clock);
    const external = new Set(options.externalDevices ?? []);
    checkDeviceSpecs(options.devices);
    const pki = await generateTestPki({
      seed: options.seed,
      notBefore: options.start - 365 * 86_400_000,
      organisations: DEFAULT_PARTIES.map(({ name, eui, remoteRole }) => ({ name, eui, role: remoteRole })),
      devices: options.issueDeviceCertificates === false ? [] : options.devices.map((d) => d.eui),
    });
    const deviceKa = (eui: Eui) =>
      options.issueDeviceCertificates === false
        ? deriveDeviceKaKeys(options.seed, eui)
        : pki.device(eui).ka.keys;
    // Each party logs in as itself and may use only its own topics; refusals go in the trace.
    const accessControl = new BrokerAccessControl({
      seed: options.seed,
      topics,
      maxPayloadBytes: MAX_MESSAGE_BYTES,
      onRefusal: (refusal) =>
        trace.add({
          at: clock.now(),
          from: refusal.principal,
          to: 'broker',
          kind: 'notice',
          summary: describeRefusal(refusal),
          detail: { brokerRefusal: refusal },
        }),
    });
    const broker =
      options.brokerUrl === undefined
        ? await startEmbeddedBroker({ accessControl, localSocket: true })
        : undefined;
    // External devices and processes use brokerUrl; this process's own parties the local socket.
    const brokerUrl = options.brokerUrl ?? (broker as EmbeddedBroker).url;
    const localUrl = broker?.localUrl ?? brokerUrl;
    const connect = (principal: BrokerPrincipal) =>
      MqttTransport.connect({
        url: localUrl,
        clientId: brokerClientId(namespace, principal),
        ...deriveBrokerCredentials(options.seed, principal),
        tracker,
        ...(options.persistentSessions ? { clean: false, reconnectPeriod: RECONNECT_PERIOD_MS } : {}),
      });
    // Two entries per device (DCC side and device side): a smaller cache thrashes on a fleet-wide read.
    const secrets = new SharedSecretCache(Math.max(4096, 2 * options.devices.length + 64));

    let gateway: SharedMqttConnection | undefined;
    try {
      const acb = pki.organisation('acb');
      const state = newDccState({
        dccEui: DCC_EUI,
        acbEui: acb.eui,
        acbKaPrivate: acb.ka.keys.privateKey,
        responseTimeoutMs: options.responseTimeoutMs ?? 60_000,
        cosEui: pki.organisation('cos-party').eui,
        cosDsPrivate: pki.organisation('cos-party').ds.keys.privateKey,
      });
      // The SMKI repository's organisation certificates: 6.23 checks the gaining supplier's (issue 5).
      for (const org of pki.organisations) {
        state.smkiOrganisations.set(org.eui, {
          eui: org.eui,
          role: org.role,
          ds: { serialNumber: org.ds.serialNumber, publicKey: org.ds.keys.publicKey },
          ka: { serialNumber: org.ka.serialNumber, publicKey: org.ka.keys.publicKey },
        });
      }
      for (const party of USER_PARTIES) {
        state.users.set(party.eui, {
          eui: party.eui,
          name: party.name,
          role: party.userRole as NonNullable<typeof party.userRole>,
          status: 'active',
          lastCounter: 0,
        });
      }
      const kaKeys = new Map(options.devices.map((d) => [d.eui, deviceKa(d.eui)]));
      for (const [eui, keys] of kaKeys) state.smki.set(eui, { kaPublic: keys.publicKey });
      const core = new DccCore(state, { codec: cborGbcsCodec, secrets });
      for (const entry of options.cpl) addCplEntry(state, { ...entry }, options.start);
      const dcc = await DccNode.start({
        transport: faulty(await connect({ role: 'dcc' }), 'dcc'),
        topics,
        core,
        clock,
        trace,
      });

      const users = new Map<string, DccUserAgent>();
      for (const party of USER_PARTIES) {
        const creds = pki.organisation(party.name);
        users.set(
          party.name,
          await DccUserAgent.start({
            name: party.name,
            eui: party.eui,
            role: party.userRole as NonNullable<typeof party.userRole>,
            dsPrivate: creds.ds.keys.privateKey,
            dccEui: DCC_EUI,
            transport: faulty(await connect({ role: 'user', eui: party.eui }), party.name),
            topics,
          }),
        );
      }

      const devices = new Map<string, DeviceNode>();
      const specs = new Map<string, DeviceSpec>();
      gateway =
        options.deviceConnection === 'shared'
          ? await SharedMqttConnection.connect({
              url: localUrl,
              clientId: brokerClientId(namespace, { role: 'deviceGateway', shard: 0 }),
              ...deriveBrokerCredentials(options.seed, { role: 'deviceGateway', shard: 0 }),
              tracker,
            })
          : undefined;
      const starting: Promise<DeviceNode>[] = [];
      // Devices are immutable state, so devices with the same owners share one trust-anchor table.
      const anchorTables = new Map<string, TrustAnchorCell[]>();
      for (const spec of options.devices) {
        specs.set(spec.id, spec);
        const anchorKey = `${spec.supplier}\u0000${spec.networkOperator}`;
        let trustAnchors = anchorTables.get(anchorKey);
        if (trustAnchors === undefined) {
          trustAnchors = factoryTrustAnchors(pki, spec);
          anchorTables.set(anchorKey, trustAnchors);
        }
        let deviceState = newDeviceState({
          identity: spec,
          keys: {
            kaPrivate: (kaKeys.get(spec.eui) as KeyPair).privateKey,
            // FIRMWARE-IMAGE.md: the manufacturer's image-signing key is installed at manufacture.
            manufacturerPublic: pki.organisation('manufacturer').ds.keys.publicKey,
          },
          firmwareVersion: spec.firmwareVersion,
          // DCC.md §4, §6: a Type 2 device (IHD, CAD) holds no SMKI trust anchors.
          trustAnchors: isType2(spec.deviceType) ? [] : trustAnchors,
          now: options.start,
          profile: deviceProfileOf(spec),
        });
        if (spec.preinstalled) {
          deviceState = { ...deviceState, lifecycle: 'commissioned' };
          const supplier = partyByName(spec.supplier).eui;
          state.smi.set(spec.eui, {
            deviceId: spec.eui,
            deviceType: spec.deviceType,
            manufacturer: spec.manufacturer,
            model: spec.model,
            hardwareVersion: spec.hardwareVersion,
            firmwareVersion: spec.firmwareVersion,
            status: 'Commissioned',
            chfId: undefined,
            supplier,
            networkOperator: partyByName(spec.networkOperator).eui,
            trialId: undefined,
            history: [{ at: options.start, from: null, to: 'Commissioned', cause: 'preinstalled' }],
          });
        }
        if (external.has(spec.id)) continue;
        const transport =
          gateway === undefined
            ? connect({ role: 'device', eui: spec.eui })
            : Promise.resolve(gateway.transportFor(spec.eui));
        const node = transport.then((own) =>
          DeviceNode.start({
            state: deviceState,
            transport: faulty(own, spec.id),
            topics,
            clock: faults.clockFor(spec.id, clock),
            scheduler: clock,
            env: { codec: cborGbcsCodec, secrets },
          }),
        );
        node.catch(() => undefined); // a failure surfaces from Promise.all below, once
        starting.push(node);
        // Own clients connect DEVICE_CONNECT_BATCH at a time (a round trip each; thousands at
        // once would flood the broker); on a shared connection all at once (SUBSCRIBEs batch up).
        if (gateway === undefined && starting.length % DEVICE_CONNECT_BATCH === 0) {
          await Promise.all(starting.slice(-DEVICE_CONNECT_BATCH));
        }
      }
      const started = await Promise.all(starting);
      const simulated = options.devices.filter((d) => !external.has(d.id));
      for (const [index, spec] of simulated.entries()) devices.set(spec.id, started[index] as DeviceNode);
      for (const spec of simulated) {
        const upstream = upstreamOf(spec, options.devices);
        devices.get(spec.id)?.reachedThrough(upstream === undefined ? undefined : devices.get(upstream));
      }
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
        brokerUrl,
        broker,
        faults,
      );
    } catch (err) {
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
    if (node === undefined) {
      throw new TrialsimError(
        'UNKNOWN_DEVICE',
        `unknown device "${id}" (known: ${[...this.devices.keys()].join(', ')})`,
      );
    }
    return node;
  }

  /** Attaches a device under test in place of one named in `externalDevices`; stop() stops it. */
  attachExternalDevice(id: string, device: ExternalDevice): void {
    this.deviceSpec(id);
    this.externals.set(id, device);
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

  /** Resolves when no message is in flight between in-process parties. */
  async settle(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new TrialsimError(
              'SETTLE_TIMEOUT',
              `the bus did not go quiet within ${SETTLE_GUARD_MS} ms (${this.tracker.pending} messages in flight)`,
            ),
          ),
        SETTLE_GUARD_MS,
      );
    });
    try {
      await Promise.race([this.tracker.whenIdle(), guard]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Moves virtual time to `target`, firing every timer due on the way, settling after each. */
  async advanceTo(target: number): Promise<number> {
    await this.settle();
    return this.clock.advanceTo(target, () => this.settle());
  }

  /**
   * Fault: restarts the embedded broker (EmbeddedBroker.restart). Parties come back only if the
   * stack was started with `persistentSessions`; otherwise their connections stay down.
   */
  /** Clients connected to the embedded broker now; undefined with an external broker. */
  get brokerClientCount(): number | undefined {
    return this.broker?.aedes.connectedClients;
  }

  async restartBroker(): Promise<void> {
    if (this.broker === undefined) {
      throw new TrialsimError('BROKER_EXTERNAL', 'an external broker cannot be restarted by trialsim');
    }
    await this.broker.restart();
  }

  async stop(): Promise<void> {
    const closing = [
      this.dcc.stop(),
      ...[...this.users.values()].map((u) => u.stop()),
      ...[...this.devices.values()].map((d) => d.stop()),
      ...[...this.externals.values()].map((d) => d.stop()),
    ];
    await Promise.allSettled(closing);
    await this.broker?.close();
  }
}

function checkDeviceSpecs(devices: readonly DeviceSpec[]): void {
  const ids = new Set<string>();
  const euis = new Set<string>();
  for (const d of devices) {
    if (ids.has(d.id)) throw new TrialsimError('DUPLICATE_DEVICE', `device id "${d.id}" is used twice`);
    if (euis.has(d.eui)) throw new TrialsimError('DUPLICATE_DEVICE', `device EUI ${d.eui} is used twice`);
    ids.add(d.id);
    euis.add(d.eui);
    partyByName(d.supplier);
    partyByName(d.networkOperator);
  }
}

/**
 * The trust anchors a device leaves the factory with: root, recovery, the ordering supplier,
 * the network operator, the ACB, the WAN provider and the CoS party (DCC.md §7).
 */
export function factoryTrustAnchors(pki: TestPki, spec: DeviceSpec): TrustAnchorCell[] {
  const cells: TrustAnchorCell[] = [
    {
      role: 'root',
      keyUsage: 'digitalSignature',
      cellUsage: 'management',
      eui: '00-00-00-00-00-00-00-00' as Eui,
      publicKey: pki.root.keys.publicKey,
    },
  ];
  const add = (org: OrganisationCredentials) => {
    cells.push({
      role: org.role,
      keyUsage: 'digitalSignature',
      cellUsage: 'management',
      eui: org.eui,
      publicKey: org.ds.keys.publicKey,
    });
    cells.push({
      role: org.role,
      keyUsage: 'keyAgreement',
      cellUsage: 'management',
      eui: org.eui,
      publicKey: org.ka.keys.publicKey,
    });
  };
  for (const name of [spec.supplier, spec.networkOperator, 'acb', 'wan-provider', 'cos-party', 'recovery']) {
    add(pki.organisation(name));
  }
  return cells;
}
