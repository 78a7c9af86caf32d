import {
  type BrokerPrincipal,
  cborContentCodec,
  type FaultPlan,
  type SharedMqttConnection,
  type Topics,
} from '../../simulator/adapters/index.js';
import {
  type DccState,
  type Eui,
  isType2,
  type KeyPair,
  newDeviceState,
  type SharedSecretCache,
  type SmiRecord,
} from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { DeviceNode } from '../../simulator/nodes/index.js';
import { deriveDeviceDsKeys, type TestPki } from '../../simulator/pki/index.js';
import type { Transport } from '../../simulator/ports/index.js';
import type { VirtualClock } from '../../simulator/time/index.js';
import { deviceProfileOf, upstreamOf } from './device-profile.js';
import type { DeviceSpec } from './device-spec.js';
import { FactoryTrustAnchorTables } from './factory-trust-anchors.js';
import type { FaultyLink } from './faulty-links.js';
import { partyByName } from './parties.js';
import type { StackOptions } from './stack-options.js';

/** Devices with their own clients connecting at once while a stack starts. */
const DEVICE_CONNECT_BATCH = 32;

/** What the stack's devices are built from and connected with. */
export interface StackDevicesContext {
  readonly pki: TestPki;
  readonly kaKeys: ReadonlyMap<Eui, KeyPair>;
  /** The run's seed: device DS keys derive from it (deriveDeviceDsKeys, as the test PKI issues them). */
  readonly seed: string;
  /** The DCC's state, whose SMI records the preinstalled devices. */
  readonly dccState: DccState;
  /** Scenario ids of devices under test: built and recorded, but not simulated. */
  readonly external: ReadonlySet<string>;
  /** The connection all devices share; undefined when each has its own client. */
  readonly gateway: SharedMqttConnection | undefined;
  readonly connect: (principal: BrokerPrincipal) => Promise<Transport>;
  readonly faulty: FaultyLink;
  readonly topics: Topics;
  readonly clock: VirtualClock;
  readonly faults: FaultPlan;
  readonly secrets: SharedSecretCache;
}

/** The simulated devices by scenario id, and the specs of all devices, simulated or not. */
export interface StackDevices {
  readonly devices: Map<string, DeviceNode>;
  readonly specs: Map<string, DeviceSpec>;
}

export function checkDeviceSpecs(devices: readonly DeviceSpec[]): void {
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
 * Builds every device as it leaves the factory (commissioned, if preinstalled), starts a
 * DeviceNode for each one simulated, and links each to the device its traffic passes through.
 */
export async function startStackDevices(
  options: Pick<StackOptions, 'devices' | 'start'>,
  context: StackDevicesContext,
): Promise<StackDevices> {
  const { pki, kaKeys, seed, dccState, external, gateway, connect, faulty, topics, clock, faults, secrets } =
    context;
  const devices = new Map<string, DeviceNode>();
  const specs = new Map<string, DeviceSpec>();
  const starting: Promise<DeviceNode>[] = [];
  const anchorTables = new FactoryTrustAnchorTables(pki);
  for (const spec of options.devices) {
    specs.set(spec.id, spec);
    const trustAnchors = anchorTables.for(spec);
    let deviceState = newDeviceState({
      identity: spec,
      keys: {
        kaPrivate: (kaKeys.get(spec.eui) as KeyPair).privateKey,
        dsPrivate: deriveDeviceDsKeys(seed, spec.eui).privateKey,
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
      dccState.smi.set(spec.eui, preinstalledSmiRecord(spec, options.start));
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
        env: { codec: cborContentCodec, secrets },
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
  return { devices, specs };
}

/** The SMI record of a device installed and commissioned before the scenario starts. */
function preinstalledSmiRecord(spec: DeviceSpec, at: number): SmiRecord {
  const supplier = partyByName(spec.supplier).eui;
  return {
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
    history: [{ at, from: null, to: 'Commissioned', cause: 'preinstalled' }],
  };
}
