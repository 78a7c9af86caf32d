import { afterEach, describe, expect, it } from 'vitest';
import { FaultPlan } from '../../../simulator/adapters/faults/fault-plan.js';
import { FaultyTransport } from '../../../simulator/adapters/faults/faulty-transport.js';
import {
  type EmbeddedBroker,
  startEmbeddedBroker,
} from '../../../simulator/adapters/mqtt/embedded-broker.js';
import { MqttTransport } from '../../../simulator/adapters/mqtt/mqtt-transport.js';
import { SharedMqttConnection } from '../../../simulator/adapters/mqtt/shared-mqtt-connection.js';
import { SerialLink } from '../../../simulator/adapters/serial/serial-link.js';
import { type SerialRoutes, SerialTransport } from '../../../simulator/adapters/serial/serial-transport.js';
import type { Transport } from '../../../simulator/ports/transport.js';
import { SeededRandom } from '../../../simulator/time/seeded-random.js';
import { VirtualClock } from '../../../simulator/time/virtual-clock.js';
import { startPtyPair } from '../../support/child-processes.js';

/**
 * The contract of the Transport port (simulator/ports/transport.ts), run against every
 * implementation a party can be given: a message arrives byte for byte on the topic it was sent
 * to (or, over serial, on the topic its frame type stands for), handlers run one message at a
 * time in arrival order even when they await, and close() waits for the handler in progress.
 * A party written against one transport then behaves the same on every other.
 */
interface Pair {
  readonly sender: Transport;
  readonly receiver: Transport;
  /** Where the sender publishes, and the filter and topic the receiver sees it under. */
  readonly sendTopic: string;
  readonly receiveFilter: string;
  readonly receiveTopic: string;
  dispose(): Promise<void>;
}

let broker: EmbeddedBroker | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  await broker?.close();
  broker = undefined;
});

async function mqttBroker(): Promise<EmbeddedBroker> {
  broker = await startEmbeddedBroker({ port: 0 });
  return broker;
}

const TOPIC = 'contract/wan/up';
const MQTT_TOPICS = { sendTopic: TOPIC, receiveFilter: 'contract/#', receiveTopic: TOPIC };

const implementations: Record<string, () => Promise<Pair>> = {
  async MqttTransport() {
    const { url } = await mqttBroker();
    const sender = await MqttTransport.connect({ url, clientId: 'contract-sender' });
    const receiver = await MqttTransport.connect({ url, clientId: 'contract-receiver' });
    return {
      sender,
      receiver,
      ...MQTT_TOPICS,
      dispose: async () => void (await Promise.all([sender.close(), receiver.close()])),
    };
  },
  async 'SharedMqttConnection party'() {
    const { url } = await mqttBroker();
    const sending = await SharedMqttConnection.connect({ url, clientId: 'contract-shared-a' });
    const receiving = await SharedMqttConnection.connect({ url, clientId: 'contract-shared-b' });
    const sender = sending.transportFor('sender');
    const receiver = receiving.transportFor('receiver');
    return {
      sender,
      receiver,
      ...MQTT_TOPICS,
      dispose: async () => void (await Promise.all([sender.close(), receiver.close()])),
    };
  },
  async 'FaultyTransport (no fault armed)'() {
    const { url } = await mqttBroker();
    const clock = new VirtualClock(Date.UTC(2027, 0, 1));
    const plan = new FaultPlan(new SeededRandom('transport-contract'));
    const inner = await MqttTransport.connect({ url, clientId: 'contract-faulty' });
    const sender = new FaultyTransport(inner, 'sender', () => 'receiver', plan, clock);
    const receiver = await MqttTransport.connect({ url, clientId: 'contract-receiver' });
    return {
      sender,
      receiver,
      ...MQTT_TOPICS,
      dispose: async () => void (await Promise.all([sender.close(), receiver.close()])),
    };
  },
  async 'SerialTransport (socat pseudo-terminals)'() {
    const ptys = await startPtyPair();
    cleanups.push(async () => ptys.child.stop());
    const device: SerialRoutes = {
      inbound: { wan: 'dev/down', control: 'dev/control' },
      outbound: { 'dev/up': 'wan' },
    };
    const bridge: SerialRoutes = {
      inbound: { wan: 'bridge/up', control: 'bridge/control' },
      outbound: { 'bridge/down': 'wan' },
    };
    const sender = new SerialTransport(
      await SerialLink.open({ path: ptys.a, baudRate: 115200 }),
      device,
      'contract-device',
    );
    const receiver = new SerialTransport(
      await SerialLink.open({ path: ptys.b, baudRate: 115200 }),
      bridge,
      'contract-bridge',
    );
    return {
      sender,
      receiver,
      sendTopic: 'dev/up',
      receiveFilter: 'bridge/#',
      receiveTopic: 'bridge/up',
      dispose: async () => void (await Promise.all([sender.close(), receiver.close()])),
    };
  },
};

/** Resolves when `count` messages have been seen. */
function expecting(count: number) {
  let resolve: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  let seen = 0;
  return { done, saw: () => (++seen === count ? resolve() : undefined) };
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe.each(Object.entries(implementations))('the Transport contract: %s', (_name, open) => {
  it('delivers each payload byte for byte, empty and large ones included', async () => {
    const pair = await open();
    cleanups.push(() => pair.dispose());
    const payloads = [
      Uint8Array.of(),
      Uint8Array.of(0x00),
      Uint8Array.from({ length: 256 }, (_, i) => i),
      Uint8Array.from({ length: 16 * 1024 }, (_, i) => (i * 31 + 7) & 0xff),
    ];
    const received: { topic: string; payload: Uint8Array }[] = [];
    const all = expecting(payloads.length);
    await pair.receiver.subscribe([pair.receiveFilter], (topic, payload) => {
      received.push({ topic, payload: Uint8Array.from(payload) });
      all.saw();
    });
    for (const payload of payloads) await pair.sender.publish(pair.sendTopic, payload);
    await all.done;
    expect(received.map((r) => r.topic)).toEqual(payloads.map(() => pair.receiveTopic));
    expect(received.map((r) => Buffer.from(r.payload).toString('hex'))).toEqual(
      payloads.map((p) => Buffer.from(p).toString('hex')),
    );
  });

  it('runs handlers one message at a time, in arrival order, even when a handler awaits', async () => {
    const pair = await open();
    cleanups.push(() => pair.dispose());
    const count = 25;
    const log: string[] = [];
    let running = 0;
    let overlapped = false;
    const all = expecting(count);
    await pair.receiver.subscribe([pair.receiveFilter], async (_topic, payload) => {
      running++;
      if (running > 1) overlapped = true;
      log.push(`start ${payload[0]}`);
      await turns((payload[0] ?? 0) % 3); // later messages arrive while this one is still running
      log.push(`end ${payload[0]}`);
      running--;
      all.saw();
    });
    await Promise.all(
      Array.from({ length: count }, (_, i) => pair.sender.publish(pair.sendTopic, Uint8Array.of(i))),
    );
    await all.done;
    expect(overlapped).toBe(false);
    expect(log).toEqual(Array.from({ length: count }, (_, i) => [`start ${i}`, `end ${i}`]).flat());
  });

  it('close() waits for the handler in progress', async () => {
    const pair = await open();
    let finished = false;
    let started: () => void = () => {};
    const handlerStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    await pair.receiver.subscribe([pair.receiveFilter], async () => {
      started();
      await turns(5);
      finished = true;
    });
    await pair.sender.publish(pair.sendTopic, Uint8Array.of(1));
    await handlerStarted;
    await pair.receiver.close();
    expect(finished).toBe(true);
    await pair.sender.close();
  });
});
