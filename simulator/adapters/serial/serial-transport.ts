import { TrialsimError } from '../../errors.js';
import type { MessageHandler, Transport } from '../../ports/transport.js';
import type { TransportFaultSink } from '../mqtt/connection-watch.js';
import { topicMatches } from '../mqtt/topic-filter.js';
import type { FrameType } from './serial-frame.js';
import type { SerialLink } from './serial-link.js';

/**
 * Which MQTT topic each frame type stands for, seen from one end of the line. A device's
 * inbound `wan` frames are its WAN-down messages; what it publishes on WAN-up goes out as `wan`.
 */
export interface SerialRoutes {
  readonly inbound: Readonly<Record<FrameType, string>>;
  readonly outbound: Readonly<Record<string, FrameType>>;
}

/**
 * The Transport port over a serial line, so a party written against MQTT (the simulated device
 * node) runs unchanged on the far side of a serial bridge. Handlers run one frame at a time, in
 * arrival order, as the port requires.
 */
export class SerialTransport implements Transport {
  private subscriptions: { filters: readonly string[]; handler: MessageHandler }[] = [];
  private chain: Promise<void> = Promise.resolve();

  /**
   * `onFault` hears a handler's failure as the MQTT transports report theirs (HANDLER_FAILED,
   * naming the party, the frame's topic and the cause), so the process running the party can
   * record it; the line carries on with the next frame. Without one it is a process warning.
   */
  constructor(
    private readonly link: SerialLink,
    private readonly routes: SerialRoutes,
    readonly clientId: string,
    private readonly onFault?: TransportFaultSink,
  ) {
    link.onFrame((type, body) => {
      const topic = routes.inbound[type];
      for (const { filters, handler } of this.subscriptions) {
        if (!filters.some((filter) => topicMatches(filter, topic))) continue;
        this.chain = this.chain
          .then(() => handler(topic, body))
          .catch((err: unknown) => this.handlerFailed(topic, err));
      }
    });
  }

  private handlerFailed(topic: string, err: unknown): void {
    const message = `${this.clientId}: its handler failed on a ${topic} frame: ${err instanceof Error ? err.message : String(err)}`;
    if (this.onFault === undefined) process.emitWarning(message);
    else this.onFault({ party: this.clientId, kind: 'handlerFailed', code: 'HANDLER_FAILED', message });
  }

  async publish(topic: string, payload: Uint8Array): Promise<void> {
    const type = this.routes.outbound[topic];
    if (type === undefined) {
      throw new TrialsimError('PUBLISH_FAILED', `${this.clientId}: no serial frame type carries ${topic}`);
    }
    await this.link.send(type, payload);
  }

  async subscribe(filters: readonly string[], handler: MessageHandler): Promise<void> {
    this.subscriptions.push({ filters, handler });
  }

  /** Removes one handler (a device that resets starts a fresh node on the same line). */
  unsubscribe(handler: MessageHandler): void {
    this.subscriptions = this.subscriptions.filter((s) => s.handler !== handler);
  }

  async close(): Promise<void> {
    this.subscriptions = [];
    await this.chain;
    await this.link.close();
  }
}
