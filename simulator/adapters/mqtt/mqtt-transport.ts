import mqtt, { type MqttClient } from 'mqtt';
import { TrialsimError } from '../../errors.js';
import type { MessageHandler, Transport } from '../../ports/transport.js';
import type { ActivityTracker } from './activity-tracker.js';

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
}

/**
 * A party's own MQTT 3.1.1 client (aedes speaks 3.1.1 only). QoS 1 everywhere: a service request
 * must not vanish silently. Automatic reconnection is off: a run that loses its broker must say
 * so, not retry forever after the broker has gone (STACK.md, "hanging processes").
 */
export class MqttTransport implements Transport {
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: MqttClient,
    readonly clientId: string,
    private readonly tracker: ActivityTracker | undefined,
  ) {}

  static async connect(options: MqttTransportOptions): Promise<MqttTransport> {
    try {
      const client = await mqtt.connectAsync(options.url, {
        clientId: options.clientId,
        protocolVersion: 4,
        reconnectPeriod: options.reconnectPeriod ?? 0,
        connectTimeout: 10_000,
        clean: options.clean ?? true,
        ...(options.username === undefined ? {} : { username: options.username }),
        ...(options.password === undefined ? {} : { password: options.password }),
      });
      disableNagle(client);
      return new MqttTransport(client, options.clientId, options.tracker);
    } catch (cause) {
      throw new TrialsimError(
        'BROKER_UNREACHABLE',
        `cannot connect to the MQTT broker at ${options.url} as ${options.clientId}: ${(cause as Error).message}`,
        { cause },
      );
    }
  }

  async publish(topic: string, payload: Uint8Array): Promise<void> {
    const counted = this.tracker?.willPublish(topic, payload) ?? false;
    try {
      await this.client.publishAsync(
        topic,
        Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
        {
          qos: 1,
        },
      );
    } catch (cause) {
      if (counted) this.tracker?.withdrawn(topic, payload);
      throw new TrialsimError('PUBLISH_FAILED', `${this.clientId} could not publish to ${topic}`, { cause });
    }
  }

  async subscribe(filters: readonly string[], handler: MessageHandler): Promise<void> {
    this.tracker?.registerLocalSubscriber(filters);
    this.client.on('message', (topic, payload) => {
      this.tracker?.arrived(topic, payload);
      // Serialise handling per party: a device must see its commands in arrival order.
      this.chain = this.chain
        .then(() => handler(topic, new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)))
        .catch((err: unknown) => {
          // A handler must record its own failures; this is the last line that keeps a party alive.
          process.emitWarning(`${this.clientId}: unhandled error in message handler: ${String(err)}`);
        })
        .finally(() => this.tracker?.handled());
    });
    await this.client.subscribeAsync([...filters], { qos: 1 });
  }

  async close(): Promise<void> {
    await this.chain;
    await this.client.endAsync();
  }
}

/**
 * Nagle's algorithm holds a small packet until the previous one is ACKed, and the peer delays
 * its ACK (≈40 ms on Linux): every request/response hop then costs ~40 ms of idle time.
 * mqtt.js does not set TCP_NODELAY itself, so set it on the socket it opened.
 */
function disableNagle(client: MqttClient): void {
  const stream = client.stream as { setNoDelay?: (noDelay: boolean) => unknown };
  if (typeof stream.setNoDelay === 'function') stream.setNoDelay(true);
}
