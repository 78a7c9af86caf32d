import { ActivityTracker } from '../../simulator/adapters/mqtt/activity-tracker.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../simulator/adapters/mqtt/embedded-broker.js';
import { MqttTransport } from '../../simulator/adapters/mqtt/mqtt-transport.js';
import { cborGbcsCodec } from '../../simulator/adapters/wire/envelope.js';
import { Topics } from '../../simulator/adapters/wire/topics.js';
import type { CplEntry } from '../../simulator/domain/cpl/cpl-entry.js';
import { DccCore } from '../../simulator/domain/dcc/dcc-core.js';
import { newDccState } from '../../simulator/domain/dcc/dcc-state.js';
import { addCplEntry } from '../../simulator/domain/dcc/trial-administration.js';
import { newDeviceState } from '../../simulator/domain/device/device-state.js';
import type { TrustAnchorCell } from '../../simulator/domain/device/trust-anchors.js';
import type { Eui } from '../../simulator/domain/eui.js';
import { SharedSecretCache } from '../../simulator/domain/gbcs/protection/shared-secret-cache.js';
import { TrialsimError } from '../../simulator/errors.js';
import { DccNode } from '../../simulator/nodes/dcc-node.js';
import { DeviceNode } from '../../simulator/nodes/device-node.js';
import { DccUserAgent } from '../../simulator/parties/dcc-user-agent.js';
import { generateTestPki, type OrganisationCredentials, type TestPki } from '../../simulator/pki/test-pki.js';
import { VirtualClock } from '../../simulator/time/virtual-clock.js';
import { MessageTrace } from '../../simulator/trace/message-trace.js';
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
}

/** How long a run waits, in real time, for the bus to go quiet before calling it an error. */
const SETTLE_GUARD_MS = 15_000;

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
  ) {}

  static async start(options: StackOptions): Promise<SimStack> {
    const clock = new VirtualClock(options.start);
    const trace = new MessageTrace();
    const tracker = new ActivityTracker();
    const namespace =
      options.namespace ?? `run-${options.seed.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24) || 'seed'}`;
    const topics = new Topics(namespace);
    checkDeviceSpecs(options.devices);
    const pki = await generateTestPki({
      seed: options.seed,
      notBefore: options.start - 365 * 86_400_000,
      organisations: DEFAULT_PARTIES.map(({ name, eui, remoteRole }) => ({ name, eui, role: remoteRole })),
      devices: options.devices.map((d) => d.eui),
    });
    const broker = options.brokerUrl === undefined ? await startEmbeddedBroker() : undefined;
    const brokerUrl = options.brokerUrl ?? (broker as EmbeddedBroker).url;
    const connect = (clientId: string) =>
      MqttTransport.connect({ url: brokerUrl, clientId: `${namespace}-${clientId}`, tracker });
    const secrets = new SharedSecretCache(4096);

    try {
      const acb = pki.organisation('acb');
      const state = newDccState({
        dccEui: DCC_EUI,
        acbEui: acb.eui,
        acbKaPrivate: acb.ka.keys.privateKey,
        responseTimeoutMs: options.responseTimeoutMs ?? 60_000,
      });
      for (const party of USER_PARTIES) {
        state.users.set(party.eui, {
          eui: party.eui,
          name: party.name,
          role: party.userRole as NonNullable<typeof party.userRole>,
          status: 'active',
          lastCounter: 0,
        });
      }
      for (const device of pki.devices) state.smki.set(device.eui, { kaPublic: device.ka.keys.publicKey });
      const core = new DccCore(state, { codec: cborGbcsCodec, secrets });
      for (const entry of options.cpl) addCplEntry(state, { ...entry }, options.start);
      const dcc = await DccNode.start({ transport: await connect('dcc'), topics, core, clock, trace });

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
            transport: await connect(party.name),
            topics,
          }),
        );
      }

      const devices = new Map<string, DeviceNode>();
      const specs = new Map<string, DeviceSpec>();
      for (const spec of options.devices) {
        specs.set(spec.id, spec);
        const creds = pki.device(spec.eui);
        let deviceState = newDeviceState({
          identity: spec,
          keys: { kaPrivate: creds.ka.keys.privateKey },
          firmwareVersion: spec.firmwareVersion,
          trustAnchors: factoryTrustAnchors(pki, spec),
          now: options.start,
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
        devices.set(
          spec.id,
          await DeviceNode.start({
            state: deviceState,
            transport: await connect(`device-${spec.eui}`),
            topics,
            clock,
            env: { codec: cborGbcsCodec, secrets },
          }),
        );
      }
      return new SimStack(clock, trace, tracker, topics, pki, dcc, users, devices, specs, brokerUrl, broker);
    } catch (err) {
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

  async stop(): Promise<void> {
    const closing = [
      this.dcc.stop(),
      ...[...this.users.values()].map((u) => u.stop()),
      ...[...this.devices.values()].map((d) => d.stop()),
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
function factoryTrustAnchors(pki: TestPki, spec: DeviceSpec): TrustAnchorCell[] {
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
