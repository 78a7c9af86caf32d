import { decodeEnvelope, type Envelope, encodeEnvelope } from '../adapters/wire/envelope.js';
import type { Topics } from '../adapters/wire/topics.js';
import type { DccCore } from '../domain/dcc/dcc-core.js';
import type { DccEffect } from '../domain/dcc/dcc-effects.js';
import type { Eui } from '../domain/eui.js';
import { TrialsimError } from '../errors.js';
import type { SchedulingClock } from '../ports/clock.js';
import type { Transport } from '../ports/transport.js';
import { describeEnvelope } from '../trace/describe-message.js';
import type { MessageTrace } from '../trace/message-trace.js';

/**
 * The DCC on the bus: decodes what arrives, hands it to the pure core, carries out the effects.
 * Nothing that arrives can crash it: undecodable bytes are traced and dropped, and a request
 * that cannot even be parsed is answered by nobody only because it names no one to answer.
 */
export class DccNode {
  private fromDevices = 0;
  private toDevices = 0;

  private constructor(
    private readonly transport: Transport,
    private readonly topics: Topics,
    readonly core: DccCore,
    private readonly clock: SchedulingClock,
    private readonly trace: MessageTrace,
  ) {}

  static async start(options: {
    transport: Transport;
    topics: Topics;
    core: DccCore;
    clock: SchedulingClock;
    trace: MessageTrace;
  }): Promise<DccNode> {
    const node = new DccNode(options.transport, options.topics, options.core, options.clock, options.trace);
    await options.transport.subscribe(options.topics.dccSubscriptions(), (topic, payload) =>
      node.onMessage(topic, payload),
    );
    return node;
  }

  /**
   * Handles one message and returns without waiting for the broker to acknowledge what it
   * published: the DCC's next message must not wait a round trip (execute() records a failed
   * publish itself, and the activity tracker counted each publish as it started).
   */
  private onMessage(topic: string, bytes: Uint8Array): void {
    const route = this.topics.route(topic);
    if (route === undefined) return;
    if (route.channel === 'wanUp') this.fromDevices++;
    const from = route.party;
    let envelope: Envelope;
    try {
      envelope = decodeEnvelope(bytes);
    } catch (err) {
      this.trace.add({
        at: this.clock.now(),
        from,
        to: 'DCC',
        kind: 'malformed',
        summary: (err as Error).message,
      });
      return;
    }
    this.traceEnvelope(from, 'DCC', envelope);
    const now = this.clock.now();
    if (route.channel === 'dccIn' && envelope.kind === 'serviceRequest') {
      void this.execute(this.core.handleServiceRequest(from, envelope.message, now));
      return;
    }
    if (route.channel === 'wanUp' && envelope.kind === 'gbcs') {
      void this.execute(this.core.handleDeviceFrame(from, envelope.message, now));
      return;
    }
    this.trace.add({
      at: now,
      from,
      to: 'DCC',
      kind: 'notice',
      summary: `${envelope.kind} is not expected on ${route.channel}: dropped`,
    });
    return;
  }

  /**
   * Messages taken from devices (WAN up), decodable or not. A fleet compares it with what its
   * workers' devices say they sent, to know when their messages have all arrived.
   */
  get messagesFromDevices(): number {
    return this.fromDevices;
  }

  /** Commands sent to devices (WAN down): a fleet asks its workers for their timers after any. */
  get messagesToDevices(): number {
    return this.toDevices;
  }

  /** Carries out effects. Publishes start together so the activity tracker counts them at once. */
  execute(effects: readonly DccEffect[]): Promise<void> {
    const sends: Promise<void>[] = [];
    for (const effect of effects) {
      switch (effect.type) {
        case 'serviceResponse':
          sends.push(
            this.send(effect.user, this.topics.dccOut(effect.user), {
              kind: 'serviceResponse',
              message: effect.message,
            }),
          );
          break;
        case 'dccAlert':
          sends.push(
            this.send(effect.user, this.topics.dccOut(effect.user), {
              kind: 'dccAlert',
              message: effect.message,
            }),
          );
          break;
        case 'toDevice':
          this.toDevices++;
          sends.push(
            this.send(effect.device, this.topics.wanDown(effect.device), {
              kind: 'gbcs',
              message: effect.frame,
            }),
          );
          break;
        case 'schedule': {
          const timer = effect.timer;
          const label =
            timer.type === 'trialEnd' ? `trial ${timer.trialId} ends` : `response deadline ${timer.key}`;
          this.clock.schedule(effect.at, label, () => {
            void this.execute(this.core.handleTimer(timer, this.clock.now()));
          });
          break;
        }
        case 'notice':
          this.trace.add({
            at: this.clock.now(),
            from: 'DCC',
            to: 'DCC',
            kind: 'notice',
            summary: effect.detail,
          });
          break;
      }
    }
    return Promise.all(sends).then(
      () => undefined,
      (err: unknown) => {
        this.trace.add({
          at: this.clock.now(),
          from: 'DCC',
          to: '-',
          kind: 'notice',
          summary: `publish failed: ${String(err)}`,
        });
      },
    );
  }

  private send(to: Eui, topic: string, envelope: Envelope): Promise<void> {
    this.traceEnvelope('DCC', to, envelope);
    return this.transport.publish(topic, encodeEnvelope(envelope));
  }

  private traceEnvelope(from: string, to: string, envelope: Envelope): void {
    this.trace.addDeferred({
      at: this.clock.now(),
      from,
      to,
      kind: envelope.kind,
      describe: () => describeEnvelope(envelope),
    });
  }

  async stop(): Promise<void> {
    try {
      await this.transport.close();
    } catch (cause) {
      throw new TrialsimError('SHUTDOWN_FAILED', 'DCC could not close its connection', { cause });
    }
  }
}
