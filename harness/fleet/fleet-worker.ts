import { brokerClientId, deriveBrokerCredentials } from '../../simulator/adapters/mqtt/broker-access-control.js';
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
import type { FromWorker, ToWorker, WorkerStart } from './fleet-protocol.js';

/**
 * A fleet worker: a share of the simulated devices in their own process, on one shared MQTT
 * connection to the run's broker. Started by Fleet (fleet.ts) with child_process.fork.
 */

/** Device clocks in a worker follow the main process's virtual clock, told over IPC. */
class FollowingClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(now: number): void {
    this.current = now;
  }
}

let clock: FollowingClock | undefined;
let nodes: DeviceNode[] = [];

function send(message: FromWorker): void {
  process.send?.(message);
}

function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 1_048_576;
}

async function start(order: WorkerStart): Promise<void> {
  const started = performance.now();
  // Organisation keys only: the trust anchors need their public keys, not device certificates.
  const pki = await generateTestPki({
    seed: order.seed,
    notBefore: order.now - 365 * 86_400_000,
    organisations: DEFAULT_PARTIES.map(({ name, eui, remoteRole }) => ({ name, eui, role: remoteRole })),
    devices: [],
  });
  const rssBeforeMb = rssMb();
  clock = new FollowingClock(order.now);
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
  nodes = await Promise.all(starting);
  send({
    type: 'started',
    shard: order.shard,
    kaPublic: kaPublic.toString('base64'),
    startMs: performance.now() - started,
    rssBeforeMb,
    rssAfterMb: rssMb(),
  });
}

async function stop(): Promise<void> {
  await Promise.allSettled(nodes.map((node) => node.stop()));
  nodes = [];
  send({ type: 'stopped' });
  process.disconnect?.();
}

process.on('message', (message: ToWorker) => {
  const run = async () => {
    if (message.type === 'start') await start(message);
    else if (message.type === 'time') {
      clock?.set(message.now);
      if (message.ack !== undefined) send({ type: 'timeAck', ack: message.ack });
    } else if (message.type === 'stop') await stop();
  };
  run().catch((err: unknown) => send({ type: 'failed', message: (err as Error).stack ?? String(err) }));
});
// The main process going away must not leave a worker behind (STACK.md, "hanging processes").
process.on('disconnect', () => process.exit(0));
