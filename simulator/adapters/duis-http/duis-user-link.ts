import { DCC_ALERT_CODES } from '../../domain/duis/xml/dcc-alert-codes.js';
import type { EncodeContext } from '../../domain/duis/xml/duis-request-bodies.js';
import { encodeDuisRequest } from '../../domain/duis/xml/duis-request-xml.js';
import { isResponseCode } from '../../domain/duis/xml/duis-response-xml.js';
import type { Eui } from '../../domain/eui.js';
import {
  type DccAlert,
  dccAlertSchema,
  type ServiceRequest,
  type ServiceResponse,
} from '../../domain/messages/duis-messages.js';
import type { UserMessage } from '../../nodes/dcc-node.js';
import type { DccUserAgent, UserLink } from '../../parties/dcc-user-agent.js';
import type { SchedulingClock } from '../../ports/clock.js';
import type { MessageTrace } from '../../trace/message-trace.js';
import type { InFlight } from './callback-delivery.js';
import { CallbackReceiver, type ReceivedCallback } from './callback-receiver.js';
import type { DuisAnswer, DuisClient } from './duis-client.js';
import { decodeOutcomeHeader, OUTCOME_HEADER } from './trialsim-outcome-header.js';

export interface DuisUserLinkOptions {
  readonly user: Eui;
  readonly client: DuisClient;
  /** Counts each request from send() to its synchronous answer handled, so settling waits for it. */
  readonly inFlight: InFlight;
  readonly clock: SchedulingClock;
  readonly trace: MessageTrace;
  /** The User's own in-use certificates (DER): DUIS's 6.23 carries them, trialsim's body does not. */
  readonly certificates?: EncodeContext['certificates'];
}

/** What trialsim's User agent makes of a DUIS message it received, or why it could not. */
export type ReadBack =
  | { readonly ok: true; readonly message: UserMessage }
  | { readonly ok: false; readonly problem: string };

/**
 * A DUIS Response as the message the User agent handles: the DUIS fields from the XML, trialsim's
 * rule, reason and result body from the X-Trialsim-Outcome header beside it. An answer whose
 * signature does not verify is never handed on: a User does not act on what it cannot trust.
 */
export function readBack(answer: DuisAnswer): ReadBack {
  if (!answer.signature.ok) return { ok: false, problem: `signature: ${answer.signature.problem}` };
  const d = answer.decoded;
  if (d === undefined) return { ok: false, problem: answer.problem ?? 'no DUIS Response' };
  const { outcome } = answer;
  // A future-dated outcome is a ResponseMessage (DUIS.md §3.1 shape 5) but the device's alert.
  if (d.kind === 'response' && d.futureDatedAlertCode === undefined) {
    if (!isResponseCode(d.responseCode))
      return { ok: false, problem: `unknown ResponseCode ${d.responseCode}` };
    if (d.requestId === undefined) return { ok: false, problem: 'the Response names no RequestID' };
    const message: ServiceResponse = {
      requestId: d.requestId,
      responseId: d.responseId ?? '',
      serviceReferenceVariant: d.serviceReferenceVariant,
      responseCode: d.responseCode,
      ...(outcome.rule === undefined ? {} : { rule: outcome.rule }),
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      ...(outcome.body === undefined ? {} : { body: outcome.body }),
      ...(d.preCommand === undefined ? {} : { preCommand: d.preCommand }),
    };
    return { ok: true, message: { kind: 'serviceResponse', message } };
  }
  // The alert's own fields travel in the header; the XML must agree on what kind of alert it is.
  const parsed = dccAlertSchema.safeParse(outcome.body?.dccAlert);
  if (!parsed.success) return { ok: false, problem: 'an alert without trialsim’s outcome header' };
  const alert: DccAlert = parsed.data;
  const deviceCode =
    d.kind === 'deviceAlert' ? d.alertCode : d.kind === 'response' ? d.futureDatedAlertCode : undefined;
  const agrees =
    deviceCode !== undefined
      ? alert.alert === 'DeviceAlert' && hexCode(deviceCode) === hexCode(alert.alertCode ?? '')
      : d.kind === 'dccAlert' &&
        alert.alert !== 'DeviceAlert' &&
        DCC_ALERT_CODES[alert.alert] === d.dccAlertCode;
  if (!agrees) return { ok: false, problem: `the header's ${alert.alert} does not match the DUIS alert` };
  return { ok: true, message: { kind: 'dccAlert', message: alert } };
}

/**
 * A DCC User that reaches the DCC with DUIS XML over HTTP (`interface: duis`): each request is
 * written as DUIS, signed with the User's XmlSign key and POSTed; the synchronous answer and every
 * callback on the User's receive-response URL are verified and read back for the agent, which
 * runs exactly as it does over MQTT (the CV 4 → CV 5 dance included).
 */
export class DuisUserLink implements UserLink {
  private constructor(
    private readonly options: DuisUserLinkOptions,
    private readonly agent: DccUserAgent,
    private readonly receiver: CallbackReceiver,
  ) {}

  /**
   * Starts the User's receive-response endpoint and tells the DCC its URL (`register`); the
   * returned factory makes the link once the agent exists (DccUserAgent.over).
   */
  static async open(
    options: DuisUserLinkOptions,
    register: (url: string) => void,
  ): Promise<(agent: DccUserAgent) => DuisUserLink> {
    let link: DuisUserLink | undefined;
    const receiver = await CallbackReceiver.start({
      onCallback: (callback) => link?.onCallback(callback),
    });
    register(receiver.url);
    return (agent) => {
      link = new DuisUserLink(options, agent, receiver);
      return link;
    };
  }

  async send(request: ServiceRequest): Promise<void> {
    const { client, inFlight } = this.options;
    inFlight.begin();
    try {
      let xml: string;
      try {
        xml = client.sign(
          encodeDuisRequest(request, {
            requestCounter: counterOf(request.requestId),
            ...(this.options.certificates === undefined ? {} : { certificates: this.options.certificates }),
          }),
        );
      } catch (err) {
        // trialsim's own body has no DUIS form: the request never leaves, and says so.
        this.unanswered(request, 'TRIALSIM-DUIS-ENCODE', (err as Error).message);
        return;
      }
      let answer: DuisAnswer;
      try {
        answer = await client.post(xml);
      } catch (err) {
        this.unanswered(request, 'TRIALSIM-DUIS-TRANSPORT', (err as Error).message);
        return;
      }
      this.hand(answer, request);
    } finally {
      inFlight.end();
    }
  }

  private onCallback(callback: ReceivedCallback): void {
    this.options.inFlight.begin();
    void this.options.client
      .read(callback.xml, decodeOutcomeHeader(callback.headers[OUTCOME_HEADER]))
      .then((answer) => this.hand(answer, undefined))
      .finally(() => this.options.inFlight.end());
  }

  private hand(answer: DuisAnswer, request: ServiceRequest | undefined): void {
    const read = readBack(answer);
    if (read.ok) {
      this.agent.receive(read.message);
      return;
    }
    this.options.trace.add({
      at: this.options.clock.now(),
      from: 'DCC',
      to: this.options.user,
      kind: 'notice',
      summary: `${this.options.user} could not read a DUIS answer${request ? ` to ${request.requestId}` : ''}: ${read.problem}`,
    });
    if (request !== undefined && answer.decoded === undefined)
      // A refusal the endpoint could only give in text (no DUIS Response names the SRV): the
      // request still ends in an outcome, the refusal's own code and rule.
      this.agent.receive({
        kind: 'serviceResponse',
        message: {
          requestId: request.requestId,
          responseId: '',
          serviceReferenceVariant: request.serviceReferenceVariant,
          responseCode: 'E12',
          rule: answer.outcome.rule ?? 'TRIALSIM-DUIS-UNREADABLE',
          reason: answer.outcome.reason ?? read.problem,
        },
      });
  }

  /** A request that got no DUIS answer at all still ends in a recorded outcome. */
  private unanswered(request: ServiceRequest, rule: string, reason: string): void {
    this.options.trace.add({
      at: this.options.clock.now(),
      from: this.options.user,
      to: 'DCC',
      kind: 'notice',
      summary: `${request.requestId} not sent over DUIS: ${rule} ${reason}`,
    });
    this.agent.receive({
      kind: 'serviceResponse',
      message: {
        requestId: request.requestId,
        responseId: '',
        serviceReferenceVariant: request.serviceReferenceVariant,
        responseCode: 'E12',
        rule,
        reason,
      },
    });
  }

  async close(): Promise<void> {
    await this.receiver.stop();
  }
}

/** An alert code as hex digits alone, upper case: `0x8f3e`, `0x8F3E` and `8F3E` are one code. */
function hexCode(code: string): string {
  return code.replace(/^0x/i, '').toUpperCase();
}

function counterOf(requestId: string): number {
  return Number(requestId.split(':')[2] ?? 0);
}
