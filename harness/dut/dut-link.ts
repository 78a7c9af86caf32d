import { randomInt } from 'node:crypto';
import { type ActivityTracker, MqttTransport, Topics } from '../../simulator/adapters/index.js';
import type { DeviceState } from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import type { SchedulingClock } from '../../simulator/ports/index.js';
import type { MessageTrace } from '../../simulator/trace/index.js';
import type { DeviceSpec } from '../stack/device-spec.js';
import type { FirmwareImageEvidence } from '../stack/sim-stack.js';
import { readDeviceFrame } from './crafted/crafted-command.js';
import type { ConductViolation } from './crafted/device-traffic.js';
import { controlTopic, decodeControl, encodeControl, type ReadyMessage, statusTopic } from './dut-control.js';
import type { WatchedDevice } from './dut-registry.js';
import { ObservedDevice } from './observed-device.js';

export interface DutLinkOptions {
  readonly spec: DeviceSpec;
  /** The state a simulated device would start in; a DUT's observed state starts from it. */
  readonly factory: DeviceState;
  /** The KA public key the run's PKI holds for this EUI: the DUT must have the same. */
  readonly expectedKaPublic: Uint8Array;
  readonly brokerUrl: string;
  readonly stackTopics: Topics;
  readonly dutNamespace: string;
  readonly tracker: ActivityTracker;
  /** The run's virtual clock: device timers the DUT reports are scheduled on it (§8.4). */
  readonly clock: SchedulingClock;
  readonly trace: MessageTrace;
  readonly replyGuardMs?: number;
  readonly resetGuardMs?: number;
  /** The running image's SHA-256 (hex) as the operator declares it (`--dut-image-hash`). */
  readonly declaredImageHash?: string;
}

const DEFAULT_REPLY_GUARD_MS = 5_000;
const DEFAULT_RESET_GUARD_MS = 10_000;

/**
 * Stands in the run for a device under test (PROTOCOL.md §8). It relays the run's WAN-down
 * messages for the device to the namespace the device was provisioned with, and the device's
 * WAN-up messages back, like the WAN between the DCC and a comms hub. Relaying (rather than
 * letting the device join the run's namespace) keeps "the bus has settled" exact: a command to
 * the device counts as in flight until the device has answered (or the reply guard passes, for a
 * device that stays silent — the DCC's E21 deadline then decides, in virtual time).
 */
export class DutLink implements WatchedDevice {
  /** WAN-up messages relayed so far, and `handled` reports not yet matched to a command. */
  private relayed = 0;
  private handledReports: number[] = [];
  private reportsHandled = false;
  private watchers: (() => void)[] = [];
  private timer: { readonly at: number; readonly handle: number } | undefined;
  private readyWaiters = new Map<number, (ready: ReadyMessage) => void>();
  private readonly observed: ObservedDevice;
  private readonly dutTopics: Topics;
  /** Commands and timer ticks the device is dealing with now: outside them it must be silent. */
  private busy = 0;
  private lastDateTime: number | undefined;
  /** The latest network time the device was told (a reset's or a `time` message's). */
  private toldTime = Number.NEGATIVE_INFINITY;
  private readonly answeredResets = new Set<number>();
  private readonly breaches: ConductViolation[] = [];
  /** Failures for the next failing step's message (explain()). */
  private readonly failures: string[] = [];
  /** Messages the link sent the device since its reset, and `handled` reports back: one each. */
  private sentToDevice = 0;
  private handledSeen = 0;

  private constructor(
    private readonly options: DutLinkOptions,
    private readonly stackSide: MqttTransport,
    private readonly dutSide: MqttTransport,
  ) {
    this.observed = new ObservedDevice(options.factory);
    this.dutTopics = new Topics(options.dutNamespace);
  }

  /** Connects both sides, resets the device and waits for it to say it is ready. */
  static async start(options: DutLinkOptions): Promise<DutLink> {
    const eui = options.spec.eui;
    const clientStem = `${options.stackTopics.namespace}-dut-${eui}`.slice(0, 100);
    const stackSide = await MqttTransport.connect({
      url: options.brokerUrl,
      clientId: `${clientStem}-run`,
      tracker: options.tracker,
    });
    let dutSide: MqttTransport | undefined;
    try {
      dutSide = await MqttTransport.connect({ url: options.brokerUrl, clientId: `${clientStem}-device` });
      const link = new DutLink(options, stackSide, dutSide);
      await dutSide.subscribe(
        [link.dutTopics.wanUp(eui), statusTopic(options.dutNamespace, eui)],
        (topic, bytes) => link.fromDevice(topic, bytes),
      );
      await stackSide.subscribe([options.stackTopics.wanDown(eui)], (_topic, bytes) => link.toDevice(bytes));
      await link.reset(options.factory.lifecycle === 'commissioned');
      return link;
    } catch (err) {
      await Promise.allSettled([stackSide.close(), dutSide?.close()]);
      throw err;
    }
  }

  /** Breaches of the rules only the link can see (the conduct check reports them). */
  violations(): readonly ConductViolation[] {
    return this.breaches;
  }

  private breach(rule: string, detail: string): void {
    this.breaches.push({ rule, seq: this.options.trace.length, detail });
    this.note(`${rule}: ${detail}`);
    this.failures.push(`${rule}: ${detail}`);
  }

  /** What went wrong on the device's side since the last call, for a failing step's message. */
  explain(): string | undefined {
    const unique = [...new Set(this.failures)];
    this.failures.length = 0;
    return unique.length === 0 ? undefined : unique.join('; ');
  }

  /** What the wire has shown of the device (for `device:` checks). */
  get state(): DeviceState {
    return this.observed.state;
  }

  /**
   * The image the device runs, for the evidence: what its messages showed (an 11.3 it answered
   * with success), else what the operator declared; each says which it is.
   */
  get firmwareImage(): FirmwareImageEvidence | undefined {
    const shown = this.observed.imageHashShown;
    if (shown !== undefined) return { hash: shown, from: 'shown by the device' };
    const declared = this.options.declaredImageHash;
    return declared === undefined ? undefined : { hash: declared, from: 'declared by the operator' };
  }

  private note(summary: string): void {
    this.options.trace.add({
      at: this.options.clock.now(),
      from: `DUT ${this.options.spec.id}`,
      to: 'harness',
      kind: 'notice',
      summary,
    });
  }

  /** Puts the device back in its factory state (PROTOCOL.md §8.1) and checks who answered. */
  async reset(commissioned: boolean): Promise<void> {
    const { spec, dutNamespace, resetGuardMs = DEFAULT_RESET_GUARD_MS } = this.options;
    const nonce = randomInt(0, 2 ** 47);
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<ReadyMessage>((resolve, reject) => {
      this.readyWaiters.set(nonce, resolve);
      timer = setTimeout(
        () =>
          reject(
            new TrialsimError(
              'DUT_NOT_READY',
              `device under test ${spec.id} (${spec.eui}) did not answer a reset within ${resetGuardMs} ms on ` +
                `${statusTopic(dutNamespace, spec.eui)}: is it running, connected to ${this.options.brokerUrl}, ` +
                `and provisioned with namespace "${dutNamespace}"?`,
            ),
          ),
        resetGuardMs,
      );
    });
    try {
      await this.dutSide.publish(
        controlTopic(dutNamespace, spec.eui),
        encodeControl({ v: 1, kind: 'reset', nonce, now: this.options.clock.now(), commissioned }),
      );
      const answer = await ready;
      if (answer.eui !== spec.eui) {
        throw new TrialsimError(
          'DUT_MISMATCH',
          `device under test ${spec.id}: expected EUI ${spec.eui}, it says ${answer.eui}`,
        );
      }
      if (Buffer.compare(Buffer.from(answer.kaPublicKey), Buffer.from(this.options.expectedKaPublic)) !== 0) {
        throw new TrialsimError(
          'DUT_MISMATCH',
          `device under test ${spec.id} (${spec.eui}) holds a KA key other than this run's: provision it with the run's seed`,
        );
      }
      this.observed.reset({ ...this.options.factory, firmwareVersion: answer.firmwareVersion });
      this.breaches.length = 0;
      this.failures.length = 0;
      this.sentToDevice = 0;
      this.handledSeen = 0;
      this.lastDateTime = undefined;
      this.toldTime = this.options.clock.now();
      this.reportsHandled = answer.reportsHandled === true;
      this.handledReports = [];
      this.plan(answer.nextDue);
      this.note(
        `reset to factory state (${commissioned ? 'commissioned' : 'new'}); ready, firmware ${answer.firmwareVersion}`,
      );
    } finally {
      clearTimeout(timer);
      this.readyWaiters.delete(nonce);
    }
  }

  /** Resolves true once `done()` holds (re-checked on every message from the device), false at the guard. */
  private until(done: () => boolean, guardMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const watcher = () => {
        if (!done()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(false), guardMs);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        this.watchers = this.watchers.filter((w) => w !== watcher);
        resolve(ok);
      };
      this.watchers.push(watcher);
    });
  }

  /**
   * WAN down: pass the DCC's message on, and hold it "in flight" until the device has dealt with
   * it — its `handled` report and every WAN-up message it counts (PROTOCOL.md §8.2) — or, for a
   * device without that report, until its first answer.
   */
  private async toDevice(bytes: Uint8Array): Promise<void> {
    this.observed.sawCommand(bytes);
    const relayedBefore = this.relayed;
    this.busy++;
    try {
      await this.tellTimeIfMoved();
      this.sentToDevice++;
      await this.dutSide.publish(this.dutTopics.wanDown(this.options.spec.eui), bytes);
      await this.dealtWith(relayedBefore, this.dutTopics.wanDown(this.options.spec.eui));
    } finally {
      this.busy--;
    }
  }

  /**
   * §8.4: a GBCS command need not carry the network time, so before relaying one the link tells
   * the device the run's time if it has moved since the device last heard it (as a meter's clock
   * follows its comms hub); timers that fall due on the way run first, as on a simulated device.
   */
  private async tellTimeIfMoved(): Promise<void> {
    const now = this.options.clock.now();
    if (now <= this.toldTime) return;
    this.toldTime = now;
    const { spec, dutNamespace } = this.options;
    const topic = controlTopic(dutNamespace, spec.eui);
    const relayedBefore = this.relayed;
    if (this.reportsHandled) this.sentToDevice++;
    await this.dutSide.publish(topic, encodeControl({ v: 1, kind: 'time', now }));
    // A device without `handled` reports gives no sign it heard the time: nothing to wait for.
    if (this.reportsHandled) await this.dealtWith(relayedBefore, topic);
  }

  /** Waits until the device has reported `handled` and its messages are relayed (or the guard). */
  private async dealtWith(relayedBefore: number, sentOn: string): Promise<void> {
    const guardMs = this.options.replyGuardMs ?? DEFAULT_REPLY_GUARD_MS;
    let answered: boolean;
    if (this.reportsHandled) {
      answered = await this.until(() => this.handledReports.length > 0, guardMs);
      const sent = this.handledReports.shift() ?? 0;
      if (answered) answered = await this.until(() => this.relayed >= relayedBefore + sent, guardMs);
    } else {
      answered = await this.until(() => this.relayed > relayedBefore, guardMs);
    }
    if (!answered) {
      this.note(`no answer within ${guardMs} ms (real time); the DCC's response deadline decides`);
      const { spec, dutNamespace } = this.options;
      this.failures.push(
        `device under test ${spec.id} (${spec.eui}) did not answer within ${guardMs} ms (real time) ` +
          `a message sent on ${sentOn}: is it running, subscribed there and ` +
          `provisioned with namespace "${dutNamespace}"?`,
      );
    }
  }

  /**
   * §8.4: a device under test has no share in the run's virtual clock, so the link schedules its
   * next timer there; when virtual time reaches it the device is told the time and the bus counts
   * as busy until the device has dealt with it — exactly where a simulated device's timer fires.
   */
  private plan(nextDue: number | undefined): void {
    if (this.timer !== undefined && this.timer.at === nextDue) return;
    if (this.timer !== undefined) this.options.clock.cancel(this.timer.handle);
    this.timer = undefined;
    if (nextDue === undefined) return;
    const handle = this.options.clock.schedule(nextDue, `DUT ${this.options.spec.id} timer`, () => {
      this.timer = undefined;
      void this.tick(nextDue);
    });
    this.timer = { at: nextDue, handle };
  }

  private async tick(at: number): Promise<void> {
    const { tracker, stackTopics, spec, dutNamespace } = this.options;
    const time = encodeControl({ v: 1, kind: 'time', now: at });
    this.toldTime = Math.max(this.toldTime, at);
    // Counted like a message in flight to the device (and withdrawn when done), so settle()
    // waits for the device's answer; it never arrives on that topic, hence `withdrawn`.
    const topic = stackTopics.wanDown(spec.eui);
    const held = tracker.willPublish(topic, time);
    try {
      const relayedBefore = this.relayed;
      this.busy++;
      this.sentToDevice++;
      try {
        await this.dutSide.publish(controlTopic(dutNamespace, spec.eui), time);
        await this.dealtWith(relayedBefore, controlTopic(dutNamespace, spec.eui));
      } finally {
        this.busy--;
      }
    } catch (err) {
      this.note(`could not tell the device the time: ${(err as Error).message}`);
    } finally {
      if (held) tracker.withdrawn(topic, time);
    }
  }

  private changed(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  private async fromDevice(topic: string, bytes: Uint8Array): Promise<void> {
    const eui = this.options.spec.eui;
    if (topic === statusTopic(this.options.dutNamespace, eui)) {
      let message: ReturnType<typeof decodeControl>;
      try {
        message = decodeControl(bytes);
      } catch (err) {
        this.note(`unreadable status message: ${(err as Error).message}`);
        return;
      }
      if (message.kind === 'handled') {
        this.handledSeen++;
        if (this.handledSeen > this.sentToDevice)
          this.breach(
            'DUT-ONE-DEVICE',
            `more "handled" reports than messages sent to ${eui}: a second device answers with the same provisioning`,
          );
        this.handledReports.push(message.sent);
        this.plan(message.nextDue);
        this.changed();
        return;
      }
      if (message.kind !== 'ready') return;
      if (message.nonce === undefined) {
        this.note(`announced itself (firmware ${message.firmwareVersion})`);
        if (this.answeredResets.size > 0)
          this.breach(
            'DUT-ONE-DEVICE',
            `a device announced itself as ${eui} during the run: it restarted, or a second client uses its id (${this.options.dutNamespace}-device-${eui})`,
          );
      } else if (this.answeredResets.has(message.nonce)) {
        this.breach(
          'DUT-ONE-DEVICE',
          `two devices answered one reset as ${eui}: a second client runs with the same provisioning`,
        );
      } else {
        this.answeredResets.add(message.nonce);
        this.readyWaiters.get(message.nonce)?.(message);
      }
      return;
    }
    this.watch(bytes);
    this.observed.sawDeviceMessage(bytes);
    // Counted by the tracker from here until the DCC has handled it, before the command's hold ends.
    const relayed = this.stackSide.publish(this.options.stackTopics.wanUp(eui), bytes);
    this.relayed++;
    this.changed();
    await relayed;
  }

  /** Rules on the device's own messages that need its raw bytes or the link's timing. */
  private watch(bytes: Uint8Array): void {
    if (this.busy === 0 && this.reportsHandled) {
      this.breach(
        'DEV-SILENT-UNPROMPTED',
        'the device sent a message while dealing with no command and no timer',
      );
    }
    // The raw GBCS APDU; its header date-time is the device's clock (PROTOCOL.md §7.2, §7.3).
    const dateTime = readDeviceFrame({ apdu: bytes }).dateTime;
    if (dateTime === undefined) return;
    if (this.lastDateTime !== undefined && dateTime < this.lastDateTime) {
      this.breach(
        'DEV-TIME-MONOTONIC',
        `a message dated ${new Date(dateTime * 1000).toISOString()} after one dated ${new Date(this.lastDateTime * 1000).toISOString()}: the device's clock ran back`,
      );
    }
    this.lastDateTime = Math.max(this.lastDateTime ?? dateTime, dateTime);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) this.options.clock.cancel(this.timer.handle);
    this.timer = undefined;
    await Promise.allSettled([this.stackSide.close(), this.dutSide.close()]);
  }
}
