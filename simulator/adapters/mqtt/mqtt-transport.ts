import type { MqttClient } from 'mqtt';
import type { MessageHandler, Transport } from '../../ports/transport.js';
import type { ActivityTracker } from './activity-tracker.js';
import { InOrderHandling } from './in-order-handling.js';
import { connectMqttClient, type MqttTransportOptions, publishCounted } from './mqtt-client-connection.js';

/**
 * A party's own MQTT 3.1.1 client (aedes speaks 3.1.1 only). QoS 1 everywhere: a service request
 * must not vanish silently. Automatic reconnection is off: a run that loses its broker must say
 * so, not retry forever after the broker has gone (STACK.md, "hanging processes").
 */
export class MqttTransport implements Transport {
  private readonly handling: InOrderHandling;

  private constructor(
    private readonly client: MqttClient,
    readonly clientId: string,
    private readonly tracker: ActivityTracker | undefined,
  ) {
    this.handling = new InOrderHandling(clientId, tracker);
  }

  static async connect(options: MqttTransportOptions): Promise<MqttTransport> {
    return new MqttTransport(await connectMqttClient(options), options.clientId, options.tracker);
  }

  publish(topic: string, payload: Uint8Array): Promise<void> {
    return publishCounted(this.client, this.tracker, this.clientId, topic, payload);
  }

  async subscribe(filters: readonly string[], handler: MessageHandler): Promise<void> {
    this.tracker?.registerLocalSubscriber(filters);
    this.client.on('message', (topic, payload) => {
      this.tracker?.arrived(topic, payload);
      this.handling.handle(() =>
        handler(topic, new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength)),
      );
    });
    await this.client.subscribeAsync([...filters], { qos: 1 });
  }

  async close(): Promise<void> {
    await this.handling.idle();
    await this.client.endAsync();
  }
}
