import { decodeEnvelope, encodeEnvelope } from '../adapters/wire/envelope.js';
import type { Topics } from '../adapters/wire/topics.js';
import { formatRequestId } from '../domain/duis/request-id.js';
import { isFinalResponseCode } from '../domain/duis/response-codes.js';
import { lookupSrv } from '../domain/duis/srv-catalogue.js';
import type { UserRole } from '../domain/duis/user-roles.js';
import type { Eui } from '../domain/eui.js';
import { preCommandSignature } from '../domain/gbcs/protection/gbcs-signature.js';
import type { SharedSecretSource } from '../domain/gbcs/protection/shared-secret-cache.js';
import type { DccAlert, ServiceRequest, ServiceResponse } from '../domain/messages/duis-messages.js';
import { isRelayedEcs17b, openRelayedEcs17b } from '../domain/services/content/ecs17b-requester.js';
import { TrialsimError } from '../errors.js';
import type { UserMessage } from '../nodes/dcc-node.js';
import type { Transport } from '../ports/transport.js';

/** How a User's requests reach the DCC: MQTT (the default) or DUIS over HTTP. */
export interface UserLink {
  send(request: ServiceRequest): Promise<void>;
  close(): Promise<void>;
}

/** How a critical command's Pre-Command gets signed: properly, or wrongly on purpose (attacks). */
export type SigningMode = 'valid' | 'corrupt' | { readonly signWith: Uint8Array };

export interface RequestOptions {
  readonly srv: string;
  /** The device for device SRs; the DCC for non-device SRs (the default then). */
  readonly target?: Eui;
  readonly body?: Record<string, unknown>;
  /** Defaults: 8 for non-device, 4 (then 5) for critical, 1 otherwise. */
  readonly commandVariant?: number;
  readonly signing?: SigningMode;
  /** Use this RequestID counter instead of the next one (replay tests). */
  readonly counter?: number;
}

/**
 * The User's key agreement: its own KA private key and where it finds a device's KA public key
 * (the SMKI repository). 4.1.1's registers come back encrypted for the User (GBCS.md §4.3) and
 * are opened with these; without them the response says which key is missing (ecs17b-requester.ts).
 */
export interface UserKeyAgreement {
  readonly privateKey: Uint8Array | undefined;
  devicePublicKey(device: Eui): Uint8Array | undefined;
  readonly secrets?: SharedSecretSource;
}

/** How one service request ended, with everything the user received for it. */
export type FinalOutcome =
  | { readonly kind: 'response'; readonly response: ServiceResponse }
  | { readonly kind: 'deviceAlert'; readonly alert: DccAlert };

export interface RequestHandle {
  readonly requestId: string;
  readonly responses: ServiceResponse[];
  /** Resolves with the first response of any code (I99 for device SRs). */
  readonly firstResponse: Promise<ServiceResponse>;
  /**
   * Resolves when the SR has its outcome: a final response code, or a device alert about it.
   * Rejects (like `firstResponse`) with a `SEND_FAILED` TrialsimError when the request or its
   * CV 5 could not be sent: whoever waits hears the cause instead of waiting for nothing.
   */
  readonly final: Promise<FinalOutcome>;
}

interface Waiter {
  readonly request: ServiceRequest;
  readonly signing: SigningMode;
  readonly responses: ServiceResponse[];
  resolveFirst(response: ServiceResponse): void;
  resolveFinal(outcome: FinalOutcome): void;
  /** Ends both promises with the fault (a send that failed): the SR's recorded outcome is the cause. */
  fail(error: TrialsimError): void;
  firstSeen: boolean;
}

/**
 * A DCC User (a supplier or a network operator) as an agent: its own MQTT client, its own
 * RequestID counter and signing key. It runs the critical-command dance (CV 4 → sign → CV 5)
 * itself, the way a supplier's head-end system would.
 */
export class DccUserAgent {
  private counter = 0;
  /**
   * Requests still waiting, per RequestID, oldest first. Usually one; a replay test that reuses a
   * counter while the first request is still out has two under one RequestID, and each must
   * still get its own outcome (the copy its refusal, the first its answers).
   */
  private readonly waiting = new Map<string, Waiter[]>();
  /** Every DCC alert received, in order (ChangeOfSupplier, DeviceSuspended, …). */
  readonly alerts: DccAlert[] = [];

  private constructor(
    readonly name: string,
    readonly eui: Eui,
    readonly role: UserRole,
    private readonly dsPrivate: Uint8Array,
    private readonly dccEui: Eui,
    private readonly link: UserLink,
    private readonly keyAgreement: UserKeyAgreement | undefined,
  ) {}

  /** A User on MQTT: its own client, subscribed to its response topic, sending on its request topic. */
  static async start(options: {
    name: string;
    eui: Eui;
    role: UserRole;
    dsPrivate: Uint8Array;
    dccEui: Eui;
    transport: Transport;
    topics: Topics;
    keyAgreement?: UserKeyAgreement;
  }): Promise<DccUserAgent> {
    const { transport, topics } = options;
    const agent = new DccUserAgent(
      options.name,
      options.eui,
      options.role,
      options.dsPrivate,
      options.dccEui,
      {
        send: (request) =>
          transport.publish(
            topics.dccIn(options.eui),
            encodeEnvelope({ kind: 'serviceRequest', message: request }),
          ),
        close: () => transport.close(),
      },
      options.keyAgreement,
    );
    await transport.subscribe([topics.dccOut(options.eui)], (_t, payload) => agent.onMessage(payload));
    return agent;
  }

  /**
   * A User reaching the DCC another way (DUIS XML over HTTP, simulator/adapters/duis-http): the
   * link sends its requests and hands what comes back to `receive`.
   */
  static over(
    options: {
      name: string;
      eui: Eui;
      role: UserRole;
      dsPrivate: Uint8Array;
      dccEui: Eui;
      keyAgreement?: UserKeyAgreement;
    },
    link: (agent: DccUserAgent) => UserLink,
  ): DccUserAgent {
    let agent: DccUserAgent | undefined;
    const lazy: UserLink = {
      send: (request) =>
        agent === undefined ? Promise.reject(new Error('link not ready')) : inner.send(request),
      close: () => inner.close(),
    };
    agent = new DccUserAgent(
      options.name,
      options.eui,
      options.role,
      options.dsPrivate,
      options.dccEui,
      lazy,
      options.keyAgreement,
    );
    const inner = link(agent);
    return agent;
  }

  get lastCounter(): number {
    return this.counter;
  }

  /** Sends a service request; the handle's promises follow it to its outcome. */
  request(options: RequestOptions): RequestHandle {
    const def = lookupSrv(options.srv);
    const nonDevice = def?.nonDevice ?? false;
    const target = options.target ?? this.dccEui;
    const counter = options.counter ?? ++this.counter;
    if (options.counter !== undefined && options.counter > this.counter) this.counter = options.counter;
    const commandVariant = options.commandVariant ?? (nonDevice ? 8 : def?.critical ? 4 : 1);
    const request: ServiceRequest = {
      requestId: formatRequestId({ originator: this.eui, target, counter }),
      commandVariant,
      serviceReference: options.srv.split('.').slice(0, 2).join('.'),
      serviceReferenceVariant: options.srv,
      body: options.body ?? {},
    };
    const responses: ServiceResponse[] = [];
    let resolveFirst!: (r: ServiceResponse) => void;
    let resolveFinal!: (o: FinalOutcome) => void;
    let rejectFirst!: (e: Error) => void;
    let rejectFinal!: (e: Error) => void;
    const firstResponse = new Promise<ServiceResponse>((resolve, reject) => {
      resolveFirst = resolve;
      rejectFirst = reject;
    });
    const final = new Promise<FinalOutcome>((resolve, reject) => {
      resolveFinal = resolve;
      rejectFinal = reject;
    });
    // A caller may await only one of them: the other's rejection must not take the run down
    // as an unhandled rejection. Awaiting either still throws the cause.
    firstResponse.catch(() => undefined);
    final.catch(() => undefined);
    const waiter: Waiter = {
      request,
      signing: options.signing ?? 'valid',
      responses,
      resolveFirst,
      resolveFinal,
      fail: (error) => {
        rejectFirst(error);
        rejectFinal(error);
      },
      firstSeen: false,
    };
    const sameId = this.waiting.get(request.requestId);
    if (sameId === undefined) this.waiting.set(request.requestId, [waiter]);
    else sameId.push(waiter);
    this.send(request, waiter);
    return { requestId: request.requestId, responses, firstResponse, final };
  }

  /**
   * Sends without making the caller wait for the broker's acknowledgement (or the HTTP answer).
   * A failed send (the broker gone, the session taken over, the DUIS endpoint refusing the
   * connection) is not thrown: nobody awaits it, and an unhandled rejection would take the whole
   * run down. It ends the SR instead: its waiters' promises reject with SEND_FAILED naming the
   * cause, so the step waiting for them fails with it (an MQTT transport also reports the fault
   * to the run, ConnectionWatch).
   */
  private send(request: ServiceRequest, waiter: Waiter): void {
    this.link.send(request).catch((cause: unknown) => {
      const error = new TrialsimError(
        'SEND_FAILED',
        `${this.name} could not send ${request.requestId} (${request.serviceReferenceVariant} CV ${request.commandVariant}): ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
      if (!(this.waiting.get(request.requestId) ?? []).includes(waiter)) return; // it ended meanwhile
      this.drop(waiter);
      waiter.fail(error);
    });
  }

  /** Handles one message; a CV 5 it sends goes without waiting for the broker's acknowledgement. */
  private onMessage(bytes: Uint8Array): undefined {
    let envelope: ReturnType<typeof decodeEnvelope>;
    try {
      envelope = decodeEnvelope(bytes);
    } catch {
      return undefined; // The DCC node traces what it sends; a garbled copy here is not ours to fix.
    }
    if (envelope.kind === 'dccAlert' || envelope.kind === 'serviceResponse') this.receive(envelope);
    return undefined;
  }

  /** Handles a response or alert from the DCC, however it arrived. */
  receive(envelope: UserMessage): undefined {
    if (envelope.kind === 'dccAlert') {
      this.alerts.push(envelope.message);
      const requestId = envelope.message.details?.requestId;
      // A device's alert is about the command that reached it: the oldest request of that ID.
      const waiter = typeof requestId === 'string' ? this.waiting.get(requestId)?.[0] : undefined;
      if (waiter !== undefined && envelope.message.alert === 'DeviceAlert') {
        this.finish(waiter, { kind: 'deviceAlert', alert: envelope.message });
      }
      return undefined;
    }
    const response = this.opened(envelope.message);
    const waiter = this.waiterFor(response);
    if (waiter === undefined) return undefined;
    waiter.responses.push(response);
    if (!waiter.firstSeen) {
      waiter.firstSeen = true;
      waiter.resolveFirst(response);
    }
    if (
      response.preCommand !== undefined &&
      response.responseCode === 'I0' &&
      waiter.request.commandVariant === 4
    ) {
      // CV 4 answered with the Pre-Command: sign it and send it back as CV 5, same RequestID.
      this.send(
        {
          ...waiter.request,
          commandVariant: 5,
          body: {},
          preCommand: response.preCommand,
          signature: this.sign(response.preCommand, waiter.signing),
        },
        waiter,
      );
      return undefined;
    }
    if (isFinalResponseCode(response.responseCode)) this.finish(waiter, { kind: 'response', response });
    return undefined;
  }

  /**
   * Whose response this is. The DCC's refusal of a copy of an admitted request (DUIS RequestID
   * counter rule) belongs to a request that has had no response yet: a replay sent on purpose,
   * newest first. With none, the copy came from at-least-once delivery (QoS 1, a duplicating
   * link): the refusal is about that copy, and the SR's own outcome is still to come. Any other
   * response answers the oldest request of its RequestID.
   */
  private waiterFor(response: ServiceResponse): Waiter | undefined {
    const sameId = this.waiting.get(response.requestId);
    if (sameId === undefined) return undefined;
    if (isDuplicateRefusal(response)) return sameId.filter((w) => !w.firstSeen).at(-1);
    return sameId[0];
  }

  private finish(waiter: Waiter, outcome: FinalOutcome): void {
    this.drop(waiter);
    waiter.resolveFinal(outcome);
  }

  private drop(waiter: Waiter): void {
    const requestId = waiter.request.requestId;
    const rest = (this.waiting.get(requestId) ?? []).filter((w) => w !== waiter);
    if (rest.length === 0) this.waiting.delete(requestId);
    else this.waiting.set(requestId, rest);
  }

  /**
   * A 4.1.1 answer as the User reads it: the DCC relays the ECS17b registers encrypted for this
   * User, and the User opens them with its own KA key (GBCS.md §4.3). Registers it cannot open
   * keep the relayed fields and say why in `registersNotOpened` ({ rule, reason }): the SR still
   * ends with its outcome, and a check on `importRegisterWh` fails naming the cause.
   */
  private opened(response: ServiceResponse): ServiceResponse {
    if (response.serviceReferenceVariant !== '4.1.1' || !isRelayedEcs17b(response.body)) return response;
    const body = response.body ?? {};
    const keys = this.keyAgreement;
    const result = openRelayedEcs17b(body, {
      self: this.eui,
      kaPrivateKey: keys?.privateKey,
      devicePublicKey: (device) => keys?.devicePublicKey(device),
      ...(keys?.secrets === undefined ? {} : { secrets: keys.secrets }),
    });
    return result.opened
      ? { ...response, body: result.body }
      : { ...response, body: { ...body, registersNotOpened: { rule: result.rule, reason: result.reason } } };
  }

  /** GBCS signs the Pre-Command from the byte after `DF` to its last content byte (GBCS.md §4.1). */
  private sign(preCommand: Uint8Array, mode: SigningMode): Uint8Array {
    if (mode === 'valid') return preCommandSignature(preCommand, this.dsPrivate);
    if (mode === 'corrupt') {
      const signature = preCommandSignature(preCommand, this.dsPrivate);
      signature[10] = (signature[10] as number) ^ 0x01;
      return signature;
    }
    return preCommandSignature(preCommand, mode.signWith);
  }

  /** Requests still waiting for their outcome. */
  get outstanding(): number {
    let count = 0;
    for (const sameId of this.waiting.values()) count += sameId.length;
    return count;
  }

  /** The requests still waiting for their outcome, oldest first (RequestID, SRV, first responses). */
  outstandingRequests(): { requestId: string; srv: string; responseCodes: string[] }[] {
    return [...this.waiting.values()].flat().map((w) => ({
      requestId: w.request.requestId,
      srv: w.request.serviceReferenceVariant,
      responseCodes: w.responses.map((r) => r.responseCode),
    }));
  }

  async stop(): Promise<void> {
    await this.link.close();
  }
}

/** The DCC's refusal of a copy of an already-admitted request (dcc-core.ts, access-control.ts). */
function isDuplicateRefusal(response: ServiceResponse): boolean {
  return (
    response.responseCode === 'E12' &&
    (response.rule === 'DUIS-REQUESTID-COUNTER' || response.rule === 'DUIS-CV5-NO-TRANSFORM')
  );
}
