import { Socket } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { TrialsimError } from '../../errors.js';
import type { ActivityTracker } from './activity-tracker.js';
import type { ConnectionWatch, TransportFaultSink } from './connection-watch.js';
import { coalesceWritesPerTurn } from './write-coalescing.js';

export interface MqttTransportOptions {
  readonly url: string;
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  /** Shared by every in-process party of one run; see ActivityTracker. */
  readonly tracker?: ActivityTracker;
  /**
   * false → a persistent session: the broker keeps the party's subscriptions and queues its QoS 1
   * messages while it is away (MQTT 3.1.1 §3.1.2.4). Default true.
   */
  readonly clean?: boolean;
  /** ms between reconnection attempts; 0 (the default) never reconnects (STACK.md, hanging processes). */
  readonly reconnectPeriod?: number;
  /**
   * Where the connection's faults go (lost connection, failed publish, a handler that threw):
   * the run traces them and fails with the cause. Without one they are process warnings.
   */
  readonly onFault?: TransportFaultSink;
  /** ms to wait for the broker's CONNACK (default CONNECT_TIMEOUT_MS). */
  readonly connectTimeout?: number;
}

/**
 * A broker that has not answered a CONNECT in this long is not going to: on loopback or a LAN a
 * CONNACK takes milliseconds, and a run pays this once (the suite stops at the first failure).
 */
export const CONNECT_TIMEOUT_MS = 5_000;

function silent(): void {}

function tuneSocket(client: MqttClient): void {
  const stream = client.stream;
  if (stream instanceof Socket) {
    stream.setNoDelay(true);
    coalesceWritesPerTurn(stream);
  }
}

/**
 * Connects one MQTT 3.1.1 client (aedes speaks 3.1.1 only) with TCP_NODELAY: without it every hop
 * waits out a delayed ACK (~40 ms), which dominated scenario time (bench/FIGURES.md).
 */
export async function connectMqttClient(options: MqttTransportOptions): Promise<MqttClient> {
  try {
    const client = await mqtt.connectAsync(options.url, {
      clientId: options.clientId,
      protocolVersion: 4,
      reconnectPeriod: options.reconnectPeriod ?? 0,
      connectTimeout: options.connectTimeout ?? CONNECT_TIMEOUT_MS,
      clean: options.clean ?? true,
      // mqtt.js asks its `debug` logger whether it is on ~20 times per message; with DEBUG unset
      // nobody is listening, so skip the asking. DEBUG=mqttjs* still gets mqtt.js's own logging.
      ...(process.env.DEBUG ? {} : { log: silent }),
      ...(options.username === undefined ? {} : { username: options.username }),
      ...(options.password === undefined ? {} : { password: options.password }),
    });
    tuneSocket(client);
    // A reconnection opens a new socket: tune that one too.
    client.on('connect', () => tuneSocket(client));
    return client;
  } catch (cause) {
    throw new TrialsimError(
      'BROKER_UNREACHABLE',
      `cannot connect to the MQTT broker at ${options.url} as ${options.clientId}: ${(cause as Error).message}`,
      { cause },
    );
  }
}

/**
 * Publishes at QoS 1 (a service request must not vanish silently), counting the message with the
 * activity tracker first; a publish that fails is withdrawn so settle() does not wait for it, and
 * reported as a fault of the run, whoever sent it (a delayed message nobody awaits included).
 */
export async function publishCounted(
  client: MqttClient,
  watch: ConnectionWatch,
  tracker: ActivityTracker | undefined,
  publisher: string,
  topic: string,
  payload: Uint8Array,
): Promise<void> {
  const counted = tracker?.willPublish(topic, payload) ?? false;
  try {
    await watch.bounded(() =>
      client.publishAsync(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), {
        qos: 1,
      }),
    );
  } catch (cause) {
    if (counted) tracker?.withdrawn(topic, payload);
    const error = new TrialsimError(
      'PUBLISH_FAILED',
      `${publisher} could not publish to ${topic}: ${(cause as Error).message}`,
      { cause },
    );
    // A lost connection is reported once, as itself; any other failure is its own fault.
    if (cause !== watch.lost) watch.report('publishFailed', error.code, error.message);
    throw error;
  }
}
