import type { MqttClient } from 'mqtt';
import { fleetEui } from '../harness/fleet/fleet-devices.js';
import { partyByName } from '../harness/stack/parties.js';
import {
  BrokerAccessControl,
  type BrokerPrincipal,
  brokerClientId,
  deriveBrokerCredentials,
} from '../simulator/adapters/mqtt/broker-access-control.js';
import { startEmbeddedBroker } from '../simulator/adapters/mqtt/embedded-broker.js';
import { connectMqttClient } from '../simulator/adapters/mqtt/mqtt-client-connection.js';
import { MAX_MESSAGE_BYTES } from '../simulator/adapters/wire/cbor-codec.js';
import { Topics } from '../simulator/adapters/wire/topics.js';
import type { Eui } from '../simulator/domain/eui.js';
import { bestOf, type Cost, cpuSeconds, runWindowed } from './bench-timing.js';
import type { SrKind } from './sr-throughput.js';

/** Who sends each message of an SR and who receives it, in flow order (DCC.md §2). */
interface Hop {
  readonly from: 'user' | 'dcc' | 'device';
  readonly to: 'user' | 'dcc' | 'device';
}

/** read: SR → DCC; I99 → user and command → device; response → DCC; I0 → user. */
const READ: readonly Hop[] = [
  { from: 'user', to: 'dcc' },
  { from: 'dcc', to: 'user' },
  { from: 'dcc', to: 'device' },
  { from: 'device', to: 'dcc' },
  { from: 'dcc', to: 'user' },
];
/** critical: CV 4 → DCC; Pre-Command → user; CV 5 → DCC; I99 and command; response; I0. */
const CRITICAL: readonly Hop[] = [
  { from: 'user', to: 'dcc' },
  { from: 'dcc', to: 'user' },
  { from: 'user', to: 'dcc' },
  { from: 'dcc', to: 'user' },
  { from: 'dcc', to: 'device' },
  { from: 'device', to: 'dcc' },
  { from: 'dcc', to: 'user' },
];
const PATTERNS: Readonly<Record<SrKind, readonly Hop[]>> = { read: READ, critical: CRITICAL };

/**
 * Which messages a receipt of message `step` makes its receiver send: the next one, and the one
 * after it too when the same party sends both at once (the DCC's I99 and its command).
 */
function repliesTo(pattern: readonly Hop[], step: number): number[] {
  const receiver = pattern[step]?.to;
  const replies: number[] = [];
  for (let next = step + 1; next < pattern.length && pattern[next]?.from === receiver; next++) {
    replies.push(next);
  }
  return replies;
}

export interface MessagePatternOptions {
  readonly kind: SrKind;
  readonly devices: number;
  readonly window: number;
  readonly requests: number;
  /** Bytes of each message, in flow order (UnitCosts.messageBytes). */
  readonly messageBytes: readonly number[];
}

/**
 * The broker and MQTT work one SR needs, alone: the SR's own messages (DCC.md §2 flows) between
 * the same parties as the end-to-end run — a supplier, the DCC and devices each with its own
 * client — on the embedded broker with the run's access control, topics, QoS 1, client set-up,
 * message sizes and SRs in flight. Each party answers at once with bytes made in advance: no
 * decoding, no crypto, no DCC or device logic. What this costs per SR, plus the crypto and codec
 * work, is the least an SR can cost here: the benchmark's limit.
 *
 * Why not a single publisher → subscriber pair: an SR's messages follow each other (each is an
 * answer to the one before) and cross three different connections, so they cannot share the
 * broker's writes the way a one-way pipelined stream does. That stream is ~3× cheaper per message
 * and is printed beside the limit for information.
 */
export interface MessagePatternCost extends Cost {
  /** Messages delivered per SR, counted where they arrived: the pattern's length, or something is wrong. */
  readonly messagesPerSr: number;
}

export async function measureMessagePattern(options: MessagePatternOptions): Promise<MessagePatternCost> {
  const pattern = PATTERNS[options.kind];
  if (options.messageBytes.length !== pattern.length) {
    throw new RangeError(
      `${options.kind} has ${pattern.length} messages, got ${options.messageBytes.length} sizes`,
    );
  }
  if (options.window > options.devices) throw new RangeError('window must not exceed the device count');
  const seed = 'bench-pattern';
  const topics = new Topics(`bench-pattern-${process.pid}`);
  const accessControl = new BrokerAccessControl({ seed, topics, maxPayloadBytes: MAX_MESSAGE_BYTES });
  const broker = await startEmbeddedBroker({ accessControl, localSocket: true });
  const user = partyByName('supplier-a').eui as Eui;
  const devices = Array.from({ length: options.devices }, (_, i) => fleetEui(i));
  const connect = (principal: BrokerPrincipal) =>
    connectMqttClient({
      url: broker.localUrl,
      clientId: brokerClientId(topics.namespace, principal),
      ...deriveBrokerCredentials(seed, principal),
    });
  const clients: MqttClient[] = [];
  try {
    const userClient = await connect({ role: 'user', eui: user });
    const dccClient = await connect({ role: 'dcc' });
    clients.push(userClient, dccClient);
    const deviceClients: MqttClient[] = [];
    for (const eui of devices) {
      const client = await connect({ role: 'device', eui });
      deviceClients.push(client);
      clients.push(client);
    }
    // Payloads made in advance; byte 0 says which message it is, bytes 1-4 which SR.
    const payloads = options.messageBytes.map((bytes, step) => {
      const payload = Buffer.alloc(Math.max(bytes, 5), 0x5a);
      payload[0] = step;
      return payload;
    });
    const messageFor = (step: number, sr: number): { topic: string; payload: Buffer } => {
      const payload = Buffer.from(payloads[step] as Buffer);
      payload.writeUInt32BE(sr, 1);
      const eui = devices[sr % devices.length] as Eui;
      const to = (pattern[step] as Hop).to;
      const from = (pattern[step] as Hop).from;
      const topic =
        to === 'dcc'
          ? from === 'user'
            ? topics.dccIn(user)
            : topics.wanUp(eui)
          : to === 'user'
            ? topics.dccOut(user)
            : topics.wanDown(eui);
      return { topic, payload };
    };
    const finished = new Map<number, () => void>();
    let delivered = 0;
    const answer = (client: MqttClient) => (_topic: string, payload: Buffer) => {
      delivered++;
      const step = payload[0] as number;
      const sr = payload.readUInt32BE(1);
      if (step === pattern.length - 1) {
        finished.get(sr)?.();
        finished.delete(sr);
      }
      for (const reply of repliesTo(pattern, step)) {
        const { topic, payload: bytes } = messageFor(reply, sr);
        void client.publishAsync(topic, bytes, { qos: 1 });
      }
    };
    userClient.on('message', answer(userClient));
    dccClient.on('message', answer(dccClient));
    for (const client of deviceClients) client.on('message', answer(client));
    await userClient.subscribeAsync(topics.dccOut(user), { qos: 1 });
    await dccClient.subscribeAsync(topics.dccSubscriptions(), { qos: 1 });
    await Promise.all(
      deviceClients.map((client, i) => client.subscribeAsync(topics.wanDown(devices[i] as Eui), { qos: 1 })),
    );

    // SRs spread over the devices in turn, as in the end-to-end run.
    let nextSr = 0;
    const send = (): Promise<void> => {
      const sr = nextSr++;
      return new Promise<void>((resolve) => {
        finished.set(sr, resolve);
        const { topic, payload } = messageFor(0, sr);
        void userClient.publishAsync(topic, payload, { qos: 1 });
      });
    };
    const run = async (count: number): Promise<Cost> => {
      const cpuStarted = cpuSeconds();
      const started = performance.now();
      await runWindowed(count, options.window, send);
      return { wall: (performance.now() - started) / 1000 / count, cpu: (cpuSeconds() - cpuStarted) / count };
    };
    // The least the pattern costs: warm up, then the fastest of three runs.
    await run(Math.max(500, Math.floor(options.requests / 2)));
    const deliveredBefore = delivered;
    const best = bestOf([
      await run(options.requests),
      await run(options.requests),
      await run(options.requests),
    ]);
    return { ...best, messagesPerSr: (delivered - deliveredBefore) / (3 * options.requests) };
  } finally {
    await Promise.all(clients.map((client) => client.endAsync()));
    await broker.close();
  }
}
