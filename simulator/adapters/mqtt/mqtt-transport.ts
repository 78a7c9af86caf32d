import type { MqttClient } from 'mqtt';
import type { MessageHandler, Transport } from '../../ports/transport.js';
import type { ActivityTracker } from './activity-tracker.js';
import { ConnectionWatch } from './connection-watch.js';
import { InOrderHandling } from './in-order-handling.js';
import { connectMqttClient, type MqttTransportOptions, publishCounted } from './mqtt-client-connection.js';

/**
 * A party's own MQTT 3.1.1 client (aedes speaks 3.1.1 only). QoS 1 everywhere: a service request
 * must not vanish silently. Automatic reconnection is off: a run that loses its broker must say
 * so, not retry forever after the broker has gone (STACK.md, "hanging processes"). Its faults —
 * the connection lost or taken over, a failed publish, a handler that threw — go to the run
 * (ConnectionWatch), and publish and close always end.
 */
export class MqttTransport implements Transport {
  private readonly handling: InOrderHandling;
  private readonly watch: ConnectionWatch;

  private constructor(
    private readonly client: MqttClient,
    readonly clientId: string,
    private readonly tracker: ActivityTracker | undefined,
    options: MqttTransportOptions,
  ) {
    this.watch = new ConnectionWatch(client, clientId, (options.reconnectPeriod ?? 0) > 0, options.onFault);
    this.handling = new InOrderHandling(clientId, tracker, (message) =>
      this.watch.report('handlerFailed', 'HANDLER_FAILED', message),
    );
  }

  static async connect(options: MqttTransportOptions): Promise<MqttTransport> {
    return new MqttTransport(await connectMqttClient(options), options.clientId, options.tracker, options);
  }

  publish(topic: string, payload: Uint8Array): Promise<void> {
    return publishCounted(this.client, this.watch, this.tracker, this.clientId, topic, payload);
  }

  async subscribe(filters: readonly string[], handler: MessageHandler): Promise<void> {
    this.tracker?.registerLocalSubscriber(filters);
    this.client.on('message', (topic, payload) => {
      this.tracker?.arrived(topic, payload);
      this.handling.handle(() =>
        handler(topic, new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)),
      );
    });
    await this.watch.bounded(() => this.client.subscribeAsync([...filters], { qos: 1 }));
  }

  async close(): Promise<void> {
    // A handler still waiting on a lost connection's publish ends with it (ConnectionWatch).
    await this.handling.idle();
    await this.watch.close();
  }
}
