import type { MqttClient } from 'mqtt';
import { TrialsimError } from '../../errors.js';
import type { MessageHandler, Transport } from '../../ports/transport.js';
import type { ActivityTracker } from './activity-tracker.js';
import { ConnectionWatch } from './connection-watch.js';
import { InOrderHandling } from './in-order-handling.js';
import { connectMqttClient, type MqttTransportOptions, publishCounted } from './mqtt-client-connection.js';
import { topicMatches } from './topic-filter.js';

/** Topics per SUBSCRIBE packet: big enough that 10k devices need few round trips, small packets. */
const SUBSCRIBE_BATCH = 500;

interface Route {
  readonly partyId: string;
  readonly handler: MessageHandler;
  readonly handling: InOrderHandling;
}

interface PendingSubscription {
  readonly filters: readonly string[];
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * One MQTT client carrying many simulated parties (the devices of a fleet). Each party keeps its
 * own topics and its own in-order handling, exactly as with its own client; what is shared is the
 * socket. Why: a client costs ≈19 KB here and ≈13 KB in the broker, and connecting 10,000 of them
 * takes seconds (STACK.md) — the per-device state machine itself costs a few KB. The default
 * stays one client per party ("each party its own client id"); this is the opt-in for scale.
 *
 * Subscriptions asked for in the same tick go out together, so starting 10,000 devices at once
 * costs 20 SUBSCRIBE round trips, not 10,000.
 */
export class SharedMqttConnection {
  private readonly exact = new Map<string, Route>();
  private readonly wildcards: { filter: string; route: Route }[] = [];
  private queued: PendingSubscription[] = [];
  private flushScheduled = false;
  private openParties = 0;
  private closing: Promise<void> | undefined;
  private readonly watch: ConnectionWatch;

  private constructor(
    private readonly client: MqttClient,
    readonly clientId: string,
    private readonly tracker: ActivityTracker | undefined,
    options: MqttTransportOptions,
  ) {
    this.watch = new ConnectionWatch(client, clientId, false, options.onFault);
    client.on('message', (topic, payload) => this.dispatch(topic, payload));
  }

  static async connect(options: MqttTransportOptions): Promise<SharedMqttConnection> {
    // Always a clean session that never reconnects: a shared connection is a scale option, not
    // one of the parties whose persistent sessions the reliability tests exercise.
    const client = await connectMqttClient({ ...options, clean: true, reconnectPeriod: 0 });
    return new SharedMqttConnection(client, options.clientId, options.tracker, options);
  }

  /** A Transport for one party; closing the last one closes the connection. */
  transportFor(partyId: string): Transport {
    this.openParties++;
    let closed = false;
    return {
      clientId: `${this.clientId}/${partyId}`,
      publish: (topic, payload) => this.publish(partyId, topic, payload),
      subscribe: (filters, handler) => this.subscribe(partyId, filters, handler),
      close: async () => {
        if (closed) return;
        closed = true;
        this.openParties--;
        if (this.openParties === 0) await this.close();
      },
    };
  }

  /** Closes the connection whatever parties still use it (a failed start-up). */
  closeAll(): Promise<void> {
    return this.close();
  }

  private publish(partyId: string, topic: string, payload: Uint8Array): Promise<void> {
    return publishCounted(
      this.client,
      this.watch,
      this.tracker,
      `${this.clientId}/${partyId}`,
      topic,
      payload,
    );
  }

  private subscribe(partyId: string, filters: readonly string[], handler: MessageHandler): Promise<void> {
    this.tracker?.registerLocalSubscriber(filters);
    const route: Route = {
      partyId,
      handler,
      handling: new InOrderHandling(`${this.clientId}/${partyId}`, this.tracker, (message) =>
        this.watch.report('handlerFailed', 'HANDLER_FAILED', message),
      ),
    };
    for (const filter of filters) {
      if (filter.includes('+') || filter.includes('#')) this.wildcards.push({ filter, route });
      else if (this.exact.has(filter)) {
        throw new TrialsimError(
          'DUPLICATE_SUBSCRIPTION',
          `${filter} already has a party on ${this.clientId}`,
        );
      } else this.exact.set(filter, route);
    }
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ filters, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const batch = this.queued;
    this.queued = [];
    const topics = batch.flatMap((pending) => pending.filters);
    try {
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < topics.length; i += SUBSCRIBE_BATCH) {
        const batchTopics = topics.slice(i, i + SUBSCRIBE_BATCH);
        sends.push(this.watch.bounded(() => this.client.subscribeAsync(batchTopics, { qos: 1 })));
      }
      await Promise.all(sends);
      for (const pending of batch) pending.resolve();
    } catch (err) {
      for (const pending of batch) pending.reject(err);
    }
  }

  private dispatch(topic: string, payload: Buffer): void {
    const route = this.exact.get(topic) ?? this.wildcards.find((w) => topicMatches(w.filter, topic))?.route;
    const bytes = new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
    this.tracker?.arrived(topic, bytes);
    if (route === undefined) {
      // No party here takes this topic any more (it stopped): consumed unhandled, so settle()
      // must not wait for it. arrived() then handled() balances whether or not it was counted.
      this.tracker?.handled();
      return;
    }
    // In order per party, as with its own client: a device sees its commands in order.
    route.handling.handle(() => route.handler(topic, bytes));
  }

  private close(): Promise<void> {
    this.closing ??= (async () => {
      const routes = new Set([...this.exact.values(), ...this.wildcards.map((w) => w.route)]);
      await Promise.all([...routes].map((route) => route.handling.idle()));
      await this.watch.close();
    })();
    return this.closing;
  }
}
