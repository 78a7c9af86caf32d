import { decodeEnvelope, type Envelope, encodeEnvelope } from '../adapters/wire/envelope.js';
import type { Topics } from '../adapters/wire/topics.js';
import {
  administer,
  type DccAdminEvent,
  type DccAdminOutcome,
} from '../domain/administration/dcc-administration.js';
import type { DccCore } from '../domain/dcc/dcc-core.js';
import type { DccEffect } from '../domain/dcc/dcc-effects.js';
import type { DccView } from '../domain/dcc/dcc-view.js';
import type { Eui } from '../domain/eui.js';
import type { DccAlert, ServiceRequest, ServiceResponse } from '../domain/messages/duis-messages.js';
import { TrialsimError } from '../errors.js';
import type { SchedulingClock } from '../ports/clock.js';
import type { Transport } from '../ports/transport.js';
import { describeEnvelope, describeGbcsApdu } from '../trace/describe-message.js';
import type { MessageTrace } from '../trace/message-trace.js';

/**
 * The DCC on the bus: decodes what arrives, hands it to the pure core, carries out the effects.
 * Nothing that arrives can crash it: undecodable bytes are traced and dropped, and a request
 * that cannot even be parsed is answered by nobody only because it names no one to answer.
 */
export class DccNode {
  private fromDevices = 0;
  private toDevices = 0;
  /** Users reached another way than MQTT (DUIS over HTTP): their responses and alerts go here. */
  private readonly userChannels = new Map<Eui, UserChannel>();

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
    if (route.channel === 'wanUp') {
      // Device topics carry the raw GBCS APDU, no envelope (PROTOCOL.md §3).
      const apdu = Uint8Array.from(bytes);
      this.traceApdu(from, 'DCC', apdu);
      void this.execute(this.core.handleDeviceFrame(from, { apdu }, this.clock.now()));
      return;
    }
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
   * Routes a User's responses and alerts to `channel` instead of its MQTT topic: the DUIS
   * adapter in front of this same DCC delivers them to the User's callback URL.
   */
  attachUserChannel(user: Eui, channel: UserChannel): void {
    this.userChannels.set(user, channel);
  }

  /**
   * A service request that arrived another way than MQTT (the DUIS adapter): handled by the same
   * core, traced the same way. Returns the DCC's first answer to it — what DUIS returns
   * synchronously (I99, the CV 4 PreCommand, a non-device result or a refusal); every other
   * effect is carried out as usual, later responses reaching the User through its channel.
   */
  submitRequest(from: Eui, request: ServiceRequest): ServiceResponse | undefined {
    this.traceEnvelope(from, 'DCC', { kind: 'serviceRequest', message: request });
    const effects = this.core.handleServiceRequest(from, request, this.clock.now());
    const index = effects.findIndex(
      (e) => e.type === 'serviceResponse' && e.user === from && e.message.requestId === request.requestId,
    );
    const answer = effects[index];
    if (answer === undefined || answer.type !== 'serviceResponse') {
      void this.execute(effects);
      return undefined;
    }
    this.traceEnvelope('DCC', from, { kind: 'serviceResponse', message: answer.message });
    void this.execute(effects.filter((_, i) => i !== index));
    return answer.message;
  }

  /**
   * The DCC's front door for changes from outside DUIS (the SSC, SECAS, the registration feed,
   * Supplier of Last Resort, fleet enrolment): decided by the core, its effects carried out here.
   * A refusal changes nothing and is returned, not thrown. The effects start at once, as for a
   * message; `settled` resolves when their publishes have (it never rejects: execute() records a
   * failed publish itself), so a synchronous caller may ignore it.
   */
  administer(event: DccAdminEvent): DccAdminOutcome & { readonly settled: Promise<void> } {
    const outcome = administer(this.core.state, event, this.clock.now());
    return { ...outcome, settled: outcome.ok ? this.execute(outcome.effects) : Promise.resolve() };
  }

  /** The DCC's state, read-only (dcc-view.ts). */
  get view(): DccView {
    return this.core.view;
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
        case 'dccAlert': {
          const channel = this.userChannels.get(effect.user);
          if (channel !== undefined) {
            // The trace records the message as on MQTT: the device's APDU is already traced as
            // it arrived (kind 'gbcs'), and the DUIS XML that carries it is traced by the adapter.
            this.traceEnvelope('DCC', effect.user, {
              kind: effect.type,
              message: withoutGbcsPayload(effect.message),
            } as Envelope);
            sends.push(
              channel.deliver(
                effect.type === 'serviceResponse'
                  ? { kind: 'serviceResponse', message: effect.message }
                  : { kind: 'dccAlert', message: effect.message },
              ),
            );
            break;
          }
          if (effect.type === 'dccAlert') {
            sends.push(
              this.send(effect.user, this.topics.dccOut(effect.user), {
                kind: 'dccAlert',
                message: withoutGbcsPayload(effect.message),
              }),
            );
            break;
          }
          sends.push(
            this.send(effect.user, this.topics.dccOut(effect.user), {
              kind: 'serviceResponse',
              message: withoutGbcsPayload(effect.message),
            }),
          );
          break;
        }
        case 'toDevice':
          this.toDevices++;
          this.traceApdu('DCC', effect.device, effect.frame.apdu);
          sends.push(this.transport.publish(this.topics.wanDown(effect.device), effect.frame.apdu));
          break;
        case 'schedule': {
          const timer = effect.timer;
          const label =
            timer.type === 'trialEnd'
              ? `trial ${timer.trialId} ends`
              : timer.type === 'futureDatedCoS'
                ? `future-dated 6.23 ${timer.requestId} executes`
                : `response deadline ${timer.key}`;
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

  private traceApdu(from: string, to: string, apdu: Uint8Array): void {
    this.trace.addDeferred({
      at: this.clock.now(),
      from,
      to,
      kind: 'gbcs',
      describe: () => describeGbcsApdu(apdu),
    });
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

/**
 * A message as trialsim's MQTT envelope carries it: without the device's raw APDU, which only
 * DUIS's GBCSPayload has. MQTT Users read the decoded body; keeping the APDU off the envelope
 * keeps its bytes (and the trace) what they were before DUIS carried real GBCS.
 */
export function withoutGbcsPayload<M extends ServiceResponse | DccAlert>(message: M): M {
  if (message.gbcsPayload === undefined) return message;
  const { gbcsPayload: _apdu, ...rest } = message;
  return rest as M;
}

/** What the DCC sends a User: a service response or a DCC alert. */
export type UserMessage =
  | { readonly kind: 'serviceResponse'; readonly message: ServiceResponse }
  | { readonly kind: 'dccAlert'; readonly message: DccAlert };

/** A way to reach a User other than its MQTT topic; `deliver` settles when the User has it (or gave up). */
export interface UserChannel {
  deliver(message: UserMessage): Promise<void>;
}
