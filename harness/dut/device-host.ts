import { cborContentCodec, Topics } from '../../simulator/adapters/index.js';
import {
  type DeviceDefect,
  decodeGbcsMessage,
  dlmsDateTimeToDate,
  parseEui,
  SharedSecretCache,
} from '../../simulator/domain/index.js';
import { DeviceNode } from '../../simulator/nodes/index.js';
import type { MessageHandler, Transport } from '../../simulator/ports/index.js';
import { VirtualClock } from '../../simulator/time/index.js';
import { decodeControl, encodeControl } from './dut-control.js';
import { factoryState, kaPublicKeyOf, type Provisioning } from './provisioning.js';

export interface DeviceHostOptions {
  readonly provisioning: Provisioning;
  /** Connected to the broker (MQTT) or to a serial line (SerialTransport). */
  readonly transport: Transport;
  readonly log?: (line: string) => void;
  /** Mutant catalogue only (harness/dut/mutants): start the device with this one defect. */
  readonly defect?: DeviceDefect;
}

/**
 * The reference device under test (`trialsim device`): the simulated device's state machine in a
 * process of its own, talking only over its link — what a manufacturer's firmware does, and a
 * readable example of it. Time is network time: the device's clock follows the control channel's
 * `time` and `reset` messages (PROTOCOL.md §8); GBCS commands carry no date-time of their own.
 */
export class DeviceHost {
  private session: SessionTransport | undefined;
  private node: DeviceNode | undefined;
  private clock = new VirtualClock(0);
  /** The device's reading of the network time minus the clock's ('clock-follows-stale-datetime' only). */
  private clockOffset = 0;
  private readonly secrets = new SharedSecretCache(64);
  private readonly topics: Topics;
  readonly wanDown: string;

  private constructor(private readonly options: DeviceHostOptions) {
    this.topics = new Topics(options.provisioning.broker.namespace);
    this.wanDown = this.topics.wanDown(parseEui(options.provisioning.device.eui));
  }

  static async start(options: DeviceHostOptions): Promise<DeviceHost> {
    const host = new DeviceHost(options);
    const { topics } = options.provisioning;
    await host.boot(0, false);
    await options.transport.subscribe([topics.wanDown, topics.control], (topic, bytes) =>
      host.onMessage(topic, bytes),
    );
    await host.announce(undefined);
    return host;
  }

  /** The device's current state (for the manufacturer's own debugging and for tests). */
  get state() {
    return this.node?.state;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private async boot(now: number, commissioned: boolean): Promise<void> {
    this.session?.detach();
    this.clock = new VirtualClock(now);
    this.clockOffset = 0;
    this.session = new SessionTransport(this.options.transport);
    const { defect } = this.options;
    this.node = await DeviceNode.start({
      state: factoryState(this.options.provisioning, now, commissioned),
      transport: this.session,
      topics: this.topics,
      clock: { now: () => this.clock.now() + this.clockOffset },
      // Device timers (activation reboot, future-dated 11.3 or CS02b) run on network time too.
      scheduler: this.clock,
      env: { codec: cborContentCodec, secrets: this.secrets, ...(defect === undefined ? {} : { defect }) },
    });
  }

  private announce(nonce: number | undefined): Promise<void> {
    const { provisioning } = this.options;
    return this.options.transport.publish(
      provisioning.topics.status,
      encodeControl({
        v: 1,
        kind: 'ready',
        ...(nonce === undefined ? {} : { nonce }),
        eui: provisioning.device.eui,
        firmwareVersion: this.node?.state.firmwareVersion ?? provisioning.device.firmwareVersion,
        kaPublicKey: kaPublicKeyOf(provisioning),
        reportsHandled: true,
        ...this.nextDue(),
      }),
    );
  }

  private async onMessage(topic: string, bytes: Uint8Array): Promise<void> {
    if (topic === this.options.provisioning.topics.control) {
      let message: ReturnType<typeof decodeControl>;
      try {
        message = decodeControl(bytes);
      } catch (err) {
        this.log(`ignored control message: ${(err as Error).message}`);
        return;
      }
      if (message.kind === 'time') {
        const sentBefore = this.session?.published ?? 0;
        if (message.now > this.clock.now()) await this.clock.advanceTo(message.now, async () => undefined);
        await this.reportHandled((this.session?.published ?? 0) - sentBefore);
        return;
      }
      if (message.kind !== 'reset') return;
      await this.boot(message.now, message.commissioned);
      this.log(
        `reset (${message.commissioned ? 'commissioned' : 'new'}) at ${new Date(message.now).toISOString()}`,
      );
      await this.announce(message.nonce);
      return;
    }
    const session = this.session;
    const sentBefore = session?.published ?? 0;
    await this.followNetworkTime(bytes);
    const before = this.node?.outcomes.length ?? 0;
    await session?.deliver(topic, bytes);
    const outcome = this.node?.outcomes[before];
    if (outcome !== undefined) this.log(`command handled: ${outcome}`);
    await this.reportHandled((session?.published ?? 0) - sentBefore);
  }

  /** PROTOCOL.md §8.2: after the messages it counts, so the harness can wait for exactly those. */
  private reportHandled(sent: number): Promise<void> {
    return this.options.transport.publish(
      this.options.provisioning.topics.status,
      encodeControl({ v: 1, kind: 'handled', sent, ...this.nextDue() }),
    );
  }

  /** The earliest timer the device has pending (activation reboot, future-dated 11.3 or CS02b), §8.4. */
  private nextDue(): { nextDue?: number } {
    const due = this.clock.nextDue();
    return due === undefined ? {} : { nextDue: due };
  }

  /**
   * GBCS commands normally carry no date-time; when one does (the header's optional field), the
   * device moves its clock forward to it, never back ('clock-follows-stale-datetime' does).
   */
  private async followNetworkTime(bytes: Uint8Array): Promise<void> {
    let at: number | undefined;
    try {
      const { apdu } = decodeGbcsMessage(bytes);
      at = apdu.dateTime === null ? undefined : dlmsDateTimeToDate(apdu.dateTime)?.getTime();
    } catch {
      return; // Malformed input is the state machine's to judge (it raises 0x8F1E); time stays put.
    }
    if (at === undefined) return;
    if (at > this.clock.now()) await this.clock.advanceTo(at, async () => undefined);
    else if (this.options.defect === 'clock-follows-stale-datetime') this.clockOffset = at - this.clock.now();
  }

  async stop(): Promise<void> {
    this.session?.detach();
    await this.options.transport.close();
  }
}

/**
 * What one DeviceNode sees of the link: publishes go straight through; the node's subscription
 * is held here, so a reset can drop the old node and start a fresh one on the same connection.
 */
class SessionTransport implements Transport {
  private handler: MessageHandler | undefined;
  /** WAN messages this node has published (for the `handled` report). */
  published = 0;

  constructor(private readonly link: Transport) {}

  get clientId(): string {
    return this.link.clientId;
  }

  publish(topic: string, payload: Uint8Array): Promise<void> {
    if (this.handler === undefined) return Promise.resolve();
    this.published++;
    return this.link.publish(topic, payload);
  }

  async subscribe(_filters: readonly string[], handler: MessageHandler): Promise<void> {
    this.handler = handler;
  }

  async deliver(topic: string, payload: Uint8Array): Promise<void> {
    await this.handler?.(topic, payload);
  }

  detach(): void {
    this.handler = undefined;
  }

  async close(): Promise<void> {
    this.detach();
  }
}
