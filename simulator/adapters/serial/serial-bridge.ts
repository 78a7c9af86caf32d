import { MqttTransport } from '../mqtt/mqtt-transport.js';
import type { FrameType } from './serial-frame.js';
import {
  SerialLink,
  type SerialLinkEvent,
  type SerialLinkOptions,
  type SerialLinkStats,
} from './serial-link.js';

/** The four MQTT topics of one device (PROTOCOL.md §1, §8), as the bridge relays them. */
export interface BridgeTopics {
  /** Broker → line as `wan` frames. */
  readonly wanDown: string;
  /** Line `wan` frames → broker. */
  readonly wanUp: string;
  /** Broker → line as `control` frames. */
  readonly control: string;
  /** Line `control` frames → broker. */
  readonly status: string;
}

export interface SerialBridgeOptions {
  readonly serial: SerialLinkOptions;
  readonly brokerUrl: string;
  readonly clientId: string;
  readonly username?: string;
  readonly password?: string;
  readonly topics: BridgeTopics;
}

export type BridgeEvent =
  | SerialLinkEvent
  | {
      readonly type: 'relayed';
      readonly direction: 'toDevice' | 'toBroker';
      readonly frameType: FrameType;
      readonly bytes: number;
    }
  | { readonly type: 'dropped'; readonly reason: string };

export interface BridgeStats extends SerialLinkStats {
  /** Messages from the broker lost because the line was down (the device was resetting). */
  dropped: number;
}

/** Real-time pause between broker reconnection attempts: a bridge outlives broker restarts too. */
const BROKER_RECONNECT_MS = 500;

/**
 * `trialsim bridge`: relays one device's messages between a serial line (COBS/CRC-32 frames,
 * PROTOCOL.md §9) and the broker, byte for byte — the envelope is not decoded here, so the
 * device's own bytes reach the DCC and any fault is the device's to own.
 */
export class SerialBridge {
  private dropped = 0;
  private handlers: ((event: BridgeEvent) => void)[] = [];

  private constructor(
    private readonly link: SerialLink,
    private readonly mqtt: MqttTransport,
  ) {}

  static async start(
    options: SerialBridgeOptions,
    onEvent?: (event: BridgeEvent) => void,
  ): Promise<SerialBridge> {
    const link = await SerialLink.open(options.serial);
    let mqtt: MqttTransport;
    try {
      mqtt = await MqttTransport.connect({
        url: options.brokerUrl,
        clientId: options.clientId,
        reconnectPeriod: BROKER_RECONNECT_MS,
        ...(options.username === undefined ? {} : { username: options.username }),
        ...(options.password === undefined ? {} : { password: options.password }),
      });
    } catch (err) {
      await link.close();
      throw err;
    }
    const bridge = new SerialBridge(link, mqtt);
    if (onEvent !== undefined) bridge.handlers.push(onEvent);
    link.onEvent((event) => bridge.emit(event));
    const { topics } = options;
    link.onFrame((type, body) => {
      const topic = type === 'wan' ? topics.wanUp : topics.status;
      bridge.emit({ type: 'relayed', direction: 'toBroker', frameType: type, bytes: body.length });
      mqtt
        .publish(topic, body)
        .catch((err: unknown) => bridge.drop(`publish to ${topic} failed: ${String(err)}`));
    });
    await mqtt.subscribe([topics.wanDown, topics.control], async (topic, payload) => {
      const type: FrameType = topic === topics.control ? 'control' : 'wan';
      try {
        await link.send(type, payload);
        bridge.emit({ type: 'relayed', direction: 'toDevice', frameType: type, bytes: payload.length });
      } catch (err) {
        bridge.drop(`${type} frame for the device lost: ${(err as Error).message}`);
      }
    });
    return bridge;
  }

  get stats(): BridgeStats {
    return { ...this.link.stats, dropped: this.dropped };
  }

  private drop(reason: string): void {
    this.dropped++;
    this.emit({ type: 'dropped', reason });
  }

  private emit(event: BridgeEvent): void {
    for (const handler of this.handlers) handler(event);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.mqtt.close(), this.link.close()]);
  }
}
