import type { Topics } from '../adapters/wire/topics.js';
import {
  type DeviceEnvironment,
  type DeviceEvent,
  type DeviceStep,
  stepDevice,
} from '../domain/device/device-machine.js';
import type { DeviceState } from '../domain/device/device-state.js';
import type { Clock, SchedulingClock } from '../ports/clock.js';
import type { Transport } from '../ports/transport.js';

/**
 * A simulated device on the bus: its own MQTT client, listening on its WAN-down topic. All the
 * behaviour is in the pure state machine; this node only decodes, steps, publishes and keeps the
 * timers the machine asks for (future-dated commands, activation reboots) on the virtual clock.
 */
export class DeviceNode {
  private current: DeviceState;
  /** The outcome of every event handled, newest last (for tests and the evidence). */
  readonly outcomes: string[] = [];
  /**
   * The node the device's traffic passes through (DCC.md §6): a HAN device's comms hub (CHF), a
   * GSME's GPF. When it is powered off the device is out of reach, whatever its own power.
   */
  private upstream: DeviceNode | undefined;

  private constructor(
    initial: DeviceState,
    private readonly transport: Transport,
    private readonly topics: Topics,
    private readonly clock: Clock,
    private readonly scheduler: SchedulingClock | undefined,
    private readonly env: DeviceEnvironment,
  ) {
    this.current = initial;
  }

  static async start(options: {
    state: DeviceState;
    transport: Transport;
    topics: Topics;
    /** The device's own view of time (may be skewed by fault injection). */
    clock: Clock;
    /** Where the device's timers run: the run's VirtualClock. Without it timers never fire. */
    scheduler?: SchedulingClock;
    env: DeviceEnvironment;
  }): Promise<DeviceNode> {
    const node = new DeviceNode(
      options.state,
      options.transport,
      options.topics,
      options.clock,
      options.scheduler,
      options.env,
    );
    await options.transport.subscribe(
      [options.topics.wanDown(options.state.identity.eui)],
      (_topic, payload) => node.onMessage(payload),
    );
    return node;
  }

  get state(): DeviceState {
    return this.current;
  }

  /** Links the device behind its comms hub (or a GSME behind its GPF). */
  reachedThrough(upstream: DeviceNode | undefined): void {
    this.upstream = upstream;
  }

  /** True when this device and every node its traffic passes through are powered. */
  get reachable(): boolean {
    return this.current.powered && (this.upstream?.reachable ?? true);
  }

  /** Mains power off (`false`) or back on (`true`): a pure `power` event, then its effects. */
  setPower(on: boolean): Promise<void> {
    return this.step({ type: 'power', on, now: this.clock.now() });
  }

  /**
   * Handles one message and returns without waiting for the broker to acknowledge the device's
   * answer, so the next command is not held up a round trip (the activity tracker counted the
   * answer as it was published; a failed publish is reported).
   */
  private onMessage(bytes: Uint8Array): void {
    const now = this.clock.now();
    if (this.current.powered && this.upstream !== undefined && !this.upstream.reachable) {
      // The comms hub is dark: the message never crosses the HAN, so the device sees nothing.
      this.outcomes.push('unreachable');
      return;
    }
    // The topic carries the raw GBCS APDU; the machine itself judges bytes that are not one (0x8F1E).
    const event: DeviceEvent = { type: 'frame', frame: { apdu: Uint8Array.from(bytes) }, now };
    this.step(event).catch((err: unknown) => {
      process.emitWarning(`device ${this.current.identity.eui}: could not send its answer: ${String(err)}`);
    });
  }

  private step(event: DeviceEvent): Promise<void> {
    const step: DeviceStep = stepDevice(this.current, event, this.env);
    this.current = step.state;
    this.outcomes.push(step.outcome);
    const up = this.topics.wanUp(this.current.identity.eui);
    const sends: Promise<void>[] = [];
    // Behind a dark comms hub a device's own alerts (a timer's) go nowhere either.
    const cutOff = this.upstream !== undefined && !this.upstream.reachable;
    for (const effect of step.effects) {
      if (effect.type === 'send') {
        if (cutOff) continue;
        sends.push(this.transport.publish(up, effect.frame.apdu));
      } else {
        this.schedule(effect.at, effect.timer);
      }
    }
    return Promise.all(sends).then(() => undefined);
  }

  private schedule(at: number, timer: Extract<DeviceEvent, { type: 'timer' }>['timer']): void {
    if (this.scheduler === undefined) return;
    // The device asked in its own time; a skewed device clock fires early or late in true time.
    const skew = this.clock.now() - this.scheduler.now();
    this.scheduler.schedule(at - skew, `${this.current.identity.eui} ${timer.type}`, () => {
      void this.step({ type: 'timer', timer, now: this.clock.now() });
    });
  }

  async stop(): Promise<void> {
    await this.transport.close();
  }
}
