import { decodeEnvelope, encodeEnvelope } from '../adapters/wire/envelope.js';
import type { Topics } from '../adapters/wire/topics.js';
import { type DeviceEnvironment, type DeviceStep, stepDevice } from '../domain/device/device-machine.js';
import type { DeviceState } from '../domain/device/device-state.js';
import type { Clock } from '../ports/clock.js';
import type { Transport } from '../ports/transport.js';

/**
 * A simulated device on the bus: its own MQTT client, listening on its WAN-down topic. All the
 * behaviour is in the pure state machine; this node only decodes, steps and publishes.
 */
export class DeviceNode {
  private current: DeviceState;
  /** The outcome of every frame handled, newest last (for tests and the evidence). */
  readonly outcomes: string[] = [];

  private constructor(
    initial: DeviceState,
    private readonly transport: Transport,
    private readonly topics: Topics,
    private readonly clock: Clock,
    private readonly env: DeviceEnvironment,
  ) {
    this.current = initial;
  }

  static async start(options: {
    state: DeviceState;
    transport: Transport;
    topics: Topics;
    clock: Clock;
    env: DeviceEnvironment;
  }): Promise<DeviceNode> {
    const node = new DeviceNode(options.state, options.transport, options.topics, options.clock, options.env);
    await options.transport.subscribe(
      [options.topics.wanDown(options.state.identity.eui)],
      (_topic, payload) => node.onMessage(payload),
    );
    return node;
  }

  get state(): DeviceState {
    return this.current;
  }

  private onMessage(bytes: Uint8Array): Promise<void> {
    const now = this.clock.now();
    let step: DeviceStep;
    try {
      const envelope = decodeEnvelope(bytes);
      step =
        envelope.kind === 'gbcs'
          ? stepDevice(this.current, { type: 'frame', frame: envelope.message, now }, this.env)
          : stepDevice(
              this.current,
              { type: 'malformed', detail: `unexpected ${envelope.kind}`, now },
              this.env,
            );
    } catch (err) {
      step = stepDevice(this.current, { type: 'malformed', detail: (err as Error).message, now }, this.env);
    }
    this.current = step.state;
    this.outcomes.push(step.outcome);
    const up = this.topics.wanUp(this.current.identity.eui);
    return Promise.all(
      step.effects.map((effect) =>
        this.transport.publish(up, encodeEnvelope({ kind: 'gbcs', message: effect.frame })),
      ),
    ).then(() => undefined);
  }

  async stop(): Promise<void> {
    await this.transport.close();
  }
}
