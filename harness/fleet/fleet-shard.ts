import {
  brokerClientId,
  cborContentCodec,
  deriveBrokerCredentials,
  SharedMqttConnection,
  Topics,
} from '../../simulator/adapters/index.js';
import { newDeviceState, SharedSecretCache } from '../../simulator/domain/index.js';
import { DeviceNode } from '../../simulator/nodes/index.js';
import { deriveDeviceDsKeys, deriveDeviceKaKeys, generateTestPki } from '../../simulator/pki/index.js';
import type { Transport } from '../../simulator/ports/index.js';
import { VirtualClock } from '../../simulator/time/index.js';
import { FactoryTrustAnchorTables } from '../stack/factory-trust-anchors.js';
import { DEFAULT_PARTIES } from '../stack/parties.js';
import { fleetDeviceSpec } from './fleet-devices.js';
import type { WorkerStart } from './fleet-protocol.js';

/** What a shard tells the main process each time it takes a new virtual time. */
export interface ShardTimeReport {
  /** Messages its devices have published so far (to the DCC): the main process waits for them. */
  readonly sent: number;
  /** When the next device timer is due (a future-dated command, an activation reboot), if any. */
  readonly nextDue: number | undefined;
}

/** A worker's share of the fleet, running: its devices on one shared MQTT connection. */
export interface RunningShard {
  /** The devices' KA public keys, 65 bytes each, in fleet order. */
  readonly kaPublic: Buffer;
  readonly rssBeforeMb: number;
  readonly startMs: number;
  /**
   * Moves the devices' clock to `now` (the main process's virtual time), firing their timers due
   * by then in order, each at its own time. Calls are taken one after another.
   */
  advance(now: number): Promise<ShardTimeReport>;
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
  // The devices' own timers run on a clock that follows the main process's (advance below).
  const clock = new VirtualClock(order.now);
  const manufacturerPublic = pki.organisation('manufacturer').ds.keys.publicKey;
  let sent = 0;
  const topics = new Topics(order.namespace);
  const principal = { role: 'deviceGateway' as const, shard: order.shard };
  const connection = await SharedMqttConnection.connect({
    url: order.brokerUrl,
    clientId: brokerClientId(order.namespace, principal),
    ...deriveBrokerCredentials(order.seed, principal),
  });
  const secrets = new SharedSecretCache(Math.max(1024, order.count + 64));
  const env = { codec: cborContentCodec, secrets };
  const kaPublic = Buffer.alloc(order.count * 65);
  const anchorTables = new FactoryTrustAnchorTables(pki);
  const starting: Promise<DeviceNode>[] = [];
  for (let i = 0; i < order.count; i++) {
    const spec = fleetDeviceSpec(order.first + i, { preinstalled: order.preinstalled });
    const keys = deriveDeviceKaKeys(order.seed, spec.eui);
    kaPublic.set(keys.publicKey, i * 65);
    const trustAnchors = anchorTables.for(spec);
    const state = newDeviceState({
      identity: spec,
      // FIRMWARE-IMAGE.md: the manufacturer's image-signing key is installed at manufacture.
      keys: {
        kaPrivate: keys.privateKey,
        dsPrivate: deriveDeviceDsKeys(order.seed, spec.eui).privateKey,
        manufacturerPublic,
      },
      firmwareVersion: spec.firmwareVersion,
      trustAnchors,
      now: order.now,
    });
    starting.push(
      DeviceNode.start({
        state: spec.preinstalled ? { ...state, lifecycle: 'commissioned' } : state,
        transport: counting(connection.transportFor(spec.eui), () => sent++),
        topics,
        clock,
        scheduler: clock,
        env,
      }),
    );
  }
  const nodes = await Promise.all(starting);
  let advancing: Promise<unknown> = Promise.resolve();
  return {
    kaPublic,
    rssBeforeMb,
    startMs: performance.now() - started,
    advance: (now) => {
      const report = advancing.then(async (): Promise<ShardTimeReport> => {
        await clock.advanceTo(now, async () => {});
        return { sent, nextDue: clock.nextDue() };
      });
      advancing = report.catch(() => undefined);
      return report;
    },
    stop: async () => {
      await Promise.allSettled(nodes.map((node) => node.stop()));
    },
  };
}

/** The same transport, counting each message published (the fleet's settle waits for them). */
function counting(transport: Transport, count: () => void): Transport {
  return {
    clientId: transport.clientId,
    publish: (topic, payload) => {
      count();
      return transport.publish(topic, payload);
    },
    subscribe: (filters, handler) => transport.subscribe(filters, handler),
    close: () => transport.close(),
  };
}
