import type { MqttClient } from 'mqtt';
import { TrialsimError } from '../../errors.js';
import { connectMqttClient } from './mqtt-client-connection.js';
import { nagleVerdict, type RoundTripVerdict } from './nagle-delay.js';

/** What an external broker told about itself when asked at the start of a run. */
export interface BrokerProbe {
  /**
   * Its software as it announces it on `$SYS/broker/version` (mosquitto: "mosquitto version
   * 2.0.11"); undefined when it announces nothing there (aedes publishes no version; a mosquitto
   * with `sys_interval 0`, or an ACL without read on that topic, neither).
   */
  readonly software?: string;
  /** Its round trips and whether it holds small writes back (nagle-delay.ts). */
  readonly roundTrip?: RoundTripVerdict;
  /** Why the probe learnt nothing (it could not connect, or the broker did not answer in time). */
  readonly failed?: string;
}

export interface BrokerProbeOptions {
  readonly url: string;
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  /**
   * Where the probe's empty QoS 1 messages go: a topic nobody subscribes to. Under an ACL that
   * does not let it write there the broker drops them and still sends the PUBACK (MQTT 3.1.1 has
   * no way to refuse a PUBLISH), which is all the probe times.
   */
  readonly topic: string;
  /** Round trips of each kind (default PROBE_ROUND_TRIPS). */
  readonly rounds?: number;
  /** The whole probe's bound, ms (default PROBE_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/** Where mosquitto announces its software and version (retained); aedes publishes nothing there. */
export const BROKER_VERSION_TOPIC = '$SYS/broker/version';

/** Five of each: the median of five ignores two stray samples, and costs ≈ 0.25 s on a slow broker. */
export const PROBE_ROUND_TRIPS = 5;

/** A broker that answers nothing in this long is not answering (a CONNACK on a LAN takes ms). */
export const PROBE_TIMEOUT_MS = 3_000;

/**
 * Asks a broker what it is and times its round trips, on a connection of its own that the run's
 * parties never see. Never throws: what it cannot find out it says it could not (`failed`).
 */
export async function probeBroker(options: BrokerProbeOptions): Promise<BrokerProbe> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  let client: MqttClient | undefined;
  let over = false;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<BrokerProbe>((resolve) => {
    timer = setTimeout(
      () => resolve({ failed: `the broker did not answer the probe within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  const probing = (async (): Promise<BrokerProbe> => {
    const connected = await connectMqttClient({
      url: options.url,
      clientId: options.clientId,
      connectTimeout: timeoutMs,
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    });
    client = connected;
    // Connected only after the bound: nobody waits for it any more.
    if (over) connected.end(true);
    return await measure(connected, options.topic, options.rounds ?? PROBE_ROUND_TRIPS);
  })().catch((error: unknown): BrokerProbe => ({ failed: failure(error) }));
  try {
    return await Promise.race([probing, timedOut]);
  } finally {
    over = true;
    clearTimeout(timer);
    // Forced: a broker that stopped answering would keep a polite close (and its PUBACKs) waiting.
    client?.end(true);
  }
}

/**
 * Why the probe learnt nothing, in the broker's or the socket's words: not connectMqttClient's
 * message, which names the client id, and with it the run's namespace (process id and real time),
 * which the evidence must not carry (RESULTS-SCHEMA.md, reproducibility).
 */
function failure(error: unknown): string {
  const cause = error instanceof TrialsimError && error.cause instanceof Error ? error.cause : error;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return error instanceof TrialsimError && error.code === 'BROKER_UNREACHABLE'
    ? `cannot connect: ${reason}`
    : reason;
}

async function measure(client: MqttClient, topic: string, rounds: number): Promise<BrokerProbe> {
  let software: string | undefined;
  client.on('message', (from, payload) => {
    if (from === BROKER_VERSION_TOPIC) software = payload.toString('utf8').trim();
  });
  // mosquitto keeps the version retained: it follows the SUBACK, before anything sent after it.
  await client.subscribeAsync(BROKER_VERSION_TOPIC, { qos: 0 });
  const singleMs: number[] = [];
  const pairedMs: number[] = [];
  const empty = Buffer.alloc(0);
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    await client.publishAsync(topic, empty, { qos: 1 });
    singleMs.push(performance.now() - started);
    started = performance.now();
    // Sent in one turn, so they leave in one segment (write-coalescing.ts) and arrive together.
    await Promise.all([
      client.publishAsync(topic, empty, { qos: 1 }),
      client.publishAsync(topic, empty, { qos: 1 }),
    ]);
    pairedMs.push(performance.now() - started);
  }
  // Every PUBACK came after the SUBACK's retained message, so by now it has arrived or never will.
  const roundTrip = nagleVerdict({ singleMs, pairedMs });
  return {
    ...(software === undefined ? {} : { software }),
    ...(roundTrip === undefined ? {} : { roundTrip }),
  };
}
