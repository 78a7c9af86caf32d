import {
  brokerClientId,
  deriveBrokerCredentials,
} from '../../simulator/adapters/mqtt/broker-access-control.js';
import { SharedMqttConnection } from '../../simulator/adapters/mqtt/shared-mqtt-connection.js';
import { cborGbcsCodec } from '../../simulator/adapters/wire/envelope.js';
import { Topics } from '../../simulator/adapters/wire/topics.js';
import { newDeviceState } from '../../simulator/domain/device/device-state.js';
import type { TrustAnchorCell } from '../../simulator/domain/device/trust-anchors.js';
import { SharedSecretCache } from '../../simulator/domain/gbcs/protection/shared-secret-cache.js';
import { DeviceNode } from '../../simulator/nodes/device-node.js';
import { deriveDeviceKaKeys, generateTestPki } from '../../simulator/pki/test-pki.js';
import type { Clock } from '../../simulator/ports/clock.js';
import { DEFAULT_PARTIES } from '../stack/parties.js';
import { factoryTrustAnchors } from '../stack/sim-stack.js';
import { fleetDeviceSpec } from './fleet-devices.js';
import type { WorkerStart } from './fleet-protocol.js';

/** Device clocks in a worker follow the main process's virtual clock, told over IPC or MQTT. */
export class FollowingClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(now: number): void {
    this.current = now;
  }
}

/** A worker's share of the fleet, running: its devices on one shared MQTT connection. */
export interface RunningShard {
  readonly clock: FollowingClock;
  /** The devices' KA public keys, 65 bytes each, in fleet order. */
  readonly kaPublic: Buffer;
  readonly rssBeforeMb: number;
  readonly startMs: number;
  stop(): Promise<void>;
}

export function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 1_048_576;
}

/** Builds and connects devices `first .. first + count - 1`, the same devices on every machine. */
export async function startShard(order: WorkerStart): Promise<RunningShard> {
  const started = performance.now();
  // Organisation keys only: the trust anchors need their public keys, not device certificates.
  const pki = await generateTestPki({
    seed: order.seed,
    notBefore: order.now - 365 * 86_400_000,
    organisations: DEFAULT_PARTIES.map(({ name, eui, remoteRole }) => ({ name, eui, role: remoteRole })),
    devices: [],
  });
  const rssBeforeMb = rssMb();
  const clock = new FollowingClock(order.now);
  const topics = new Topics(order.namespace);
  const principal = { role: 'deviceGateway' as const, shard: order.shard };
  const connection = await SharedMqttConnection.connect({
    url: order.brokerUrl,
    clientId: brokerClientId(order.namespace, principal),
    ...deriveBrokerCredentials(order.seed, principal),
  });
  const secrets = new SharedSecretCache(Math.max(1024, order.count + 64));
  const env = { codec: cborGbcsCodec, secrets };
  const kaPublic = Buffer.alloc(order.count * 65);
  const anchorTables = new Map<string, TrustAnchorCell[]>();
  const starting: Promise<DeviceNode>[] = [];
  for (let i = 0; i < order.count; i++) {
    const spec = fleetDeviceSpec(order.first + i, { preinstalled: order.preinstalled });
    const keys = deriveDeviceKaKeys(order.seed, spec.eui);
    kaPublic.set(keys.publicKey, i * 65);
    // Device state is immutable, so devices with the same owners share one trust-anchor table.
    const anchorKey = `${spec.supplier}\u0000${spec.networkOperator}`;
    let trustAnchors = anchorTables.get(anchorKey);
    if (trustAnchors === undefined) {
      trustAnchors = factoryTrustAnchors(pki, spec);
      anchorTables.set(anchorKey, trustAnchors);
    }
    const state = newDeviceState({
      identity: spec,
      keys: { kaPrivate: keys.privateKey },
      firmwareVersion: spec.firmwareVersion,
      trustAnchors,
      now: order.now,
    });
    starting.push(
      DeviceNode.start({
        state: spec.preinstalled ? { ...state, lifecycle: 'commissioned' } : state,
        transport: connection.transportFor(spec.eui),
        topics,
        clock,
        env,
      }),
    );
  }
  const nodes = await Promise.all(starting);
  return {
    clock,
    kaPublic,
    rssBeforeMb,
    startMs: performance.now() - started,
    stop: async () => {
      await Promise.allSettled(nodes.map((node) => node.stop()));
    },
  };
}
