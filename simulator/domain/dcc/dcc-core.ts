import { type RequestId, responseIdFor } from '../duis/request-id.js';
import type { ResponseCode } from '../duis/response-codes.js';
import { SRV_BODY_SCHEMAS } from '../duis/srv-bodies.js';
import { type Eui, euiFromBytes, euiToBytes, isEui } from '../eui.js';
import { checkMac, macFor } from '../gbcs/protection/protect.js';
import type { ServiceRequest } from '../messages/duis-messages.js';
import type { GbcsFrame, GbcsPayload } from '../messages/gbcs-messages.js';
import { type Admitted, admit, type Refusal, requestDevice } from './access-control.js';
import type { DccEffect, DccTimer } from './dcc-effects.js';
import { type DccState, findPendingKey, pendingKey } from './dcc-state.js';
import { futureDatedTimedOut } from './future-dated.js';
import type { DccEnvironment, SrvRequestContext } from './srv-handler.js';
import {
  DEVICE_ALERT_HANDLERS,
  DEVICE_REQUEST_HANDLERS,
  DEVICE_RESPONSE_HANDLERS,
  FOLLOW_UP_HANDLERS,
  NON_DEVICE_HANDLERS,
} from './srv-handlers.js';
import { endTrial } from './trial-administration.js';
import { checkTrialSlot, releaseTrialSlot, reserveTrialSlot } from './trial-commissioning.js';

export type { DccEnvironment } from './srv-handler.js';

/**
 * The DCC: DUIS in, GBCS out, and the SMI, CPL and trial rules between. Deterministic and free of
 * I/O: each handler mutates the DCC's own state and returns the effects for the node to carry out.
 * (The state is mutated in place rather than copied because the SMI holds up to 100k records;
 * the rule that matters — a refused request changes nothing — holds because every refusal is
 * decided before the first write.) Every service request ends in exactly one recorded outcome.
 */
export class DccCore {
  constructor(
    readonly state: DccState,
    private readonly env: DccEnvironment,
  ) {}

  handleServiceRequest(from: Eui, request: ServiceRequest, now: number): DccEffect[] {
    const continuation = request.commandVariant === 5;
    const admitted = admit(this.state, from, request, continuation, now);
    if (!admitted.ok) return this.refused(from, request, admitted, now);
    const body = this.validateBody(admitted, request);
    if ('code' in body) return this.refused(from, request, body, now);
    const late = continuation ? undefined : futureDatedTimedOut(body.value, now);
    if (late !== undefined) return this.refused(from, request, late, now);
    const ctx = this.context(admitted, request, body.value, now);
    const srv = admitted.def.srv;

    if (admitted.def.nonDevice) {
      const handler = NON_DEVICE_HANDLERS[srv];
      return handler === undefined
        ? ctx.refuse('E12', `SRV ${srv} is not implemented by trialsim yet`, 'TRIALSIM-NOT-IMPLEMENTED')
        : handler(ctx);
    }
    const special = DEVICE_REQUEST_HANDLERS[srv];
    if (special !== undefined) return special(ctx);
    if (admitted.def.critical)
      return request.commandVariant === 4 ? this.transform(ctx) : this.sendSigned(ctx);
    return this.sendNonCritical(ctx);
  }

  handleDeviceFrame(device: Eui, frame: GbcsFrame, now: number): DccEffect[] {
    let payload: GbcsPayload;
    try {
      payload = this.env.codec.decodePayload(frame.payload);
    } catch (err) {
      return [{ type: 'notice', detail: `malformed message from ${device}: ${(err as Error).message}` }];
    }
    if (euiFromBytes(payload.originator) !== device) {
      return [
        {
          type: 'notice',
          detail: `message on ${device}'s link claims to be from ${euiFromBytes(payload.originator)}`,
        },
      ];
    }
    if (payload.cra === 3) return this.deviceAlert(device, payload, frame, now);
    if (payload.cra !== 2 || payload.inResponseTo === undefined) {
      return [{ type: 'notice', detail: `unexpected message (cra ${payload.cra}) from ${device}` }];
    }
    const key = findPendingKey(this.state, device, payload.inResponseTo, euiFromBytes(payload.recipient));
    const pending = key === undefined ? undefined : this.state.pending.get(key);
    if (key === undefined || pending === undefined) {
      // A late answer after E21, or a duplicate: the SR already has its outcome.
      return [
        {
          type: 'notice',
          detail: `unsolicited response from ${device} to counter ${payload.inResponseTo}: dropped`,
        },
      ];
    }
    const followUp = FOLLOW_UP_HANDLERS[pending.srv];
    if (followUp !== undefined) {
      // A follow-up of a non-device SR (11.1, 8.3): that SR already has its outcome.
      this.state.pending.delete(key);
      return followUp.answered(this.state, pending, payload, now);
    }
    this.state.pending.delete(key);
    releaseTrialSlot(this.state, pending);
    const record = this.state.smi.get(device);
    const handler = DEVICE_RESPONSE_HANDLERS[pending.srv];
    const effects =
      payload.body.status === 'success' && record !== undefined && handler !== undefined
        ? handler(this.state, pending, payload, record, now)
        : [];
    this.record(
      pending.requestId,
      pending.user,
      pending.srv,
      device,
      'I0',
      undefined,
      pending.requestedAt,
      now,
    );
    return [
      this.response(pending.user, pending.requestId, pending.srv, 'I0', { body: { ...payload.body } }),
      ...effects,
    ];
  }

  handleTimer(timer: DccTimer, now: number): DccEffect[] {
    if (timer.type === 'trialEnd') return endTrial(this.state, timer.trialId, now);
    const pending = this.state.pending.get(timer.key);
    if (pending === undefined) return [];
    const followUp = FOLLOW_UP_HANDLERS[pending.srv];
    if (followUp !== undefined) {
      this.state.pending.delete(timer.key);
      return followUp.timedOut(this.state, pending, now);
    }
    this.state.pending.delete(timer.key);
    // TRIALS.md "Limits" (a hard cap): no answer is not "not commissioned" — the device may have
    // run 8.1.1 and only its response been lost. The trial slot stays reserved until the supplier
    // finds out (a retried 8.1.1 succeeds on a commissioned device), so a lost response cannot let
    // the cap be overrun (test/reliability/faults.test.ts).
    this.record(
      pending.requestId,
      pending.user,
      pending.srv,
      pending.device,
      'E21',
      'DUIS-E21',
      pending.requestedAt,
      now,
    );
    return [
      this.response(pending.user, pending.requestId, pending.srv, 'E21', {
        rule: 'DUIS-E21',
        reason: `no response from ${pending.device} within ${this.state.config.responseTimeoutMs / 1000} s`,
      }),
    ];
  }

  // --- requests -------------------------------------------------------------------------

  private validateBody(
    admitted: Admitted,
    request: ServiceRequest,
  ): { value: Record<string, unknown> } | Refusal {
    const schema = SRV_BODY_SCHEMAS[admitted.def.srv];
    if (schema === undefined || request.commandVariant === 5) return { value: request.body };
    const parsed = schema.safeParse(request.body);
    if (parsed.success) return { value: parsed.data };
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    return {
      ok: false,
      code: 'E12',
      rule: 'DUIS-BODY',
      reason: `SRV ${admitted.def.srv} body invalid: ${issues}`,
    };
  }

  private context(
    admitted: Admitted,
    request: ServiceRequest,
    body: Record<string, unknown>,
    now: number,
  ): SrvRequestContext {
    const user = admitted.user.eui;
    const srv = admitted.def.srv;
    const device = admitted.deviceId;
    return {
      state: this.state,
      env: this.env,
      admitted,
      request,
      body,
      now,
      ok: (extra, effects = []) => {
        this.record(request.requestId, user, srv, device, 'I0', undefined, now, now);
        return [this.response(user, request.requestId, srv, 'I0', { body: extra }), ...effects];
      },
      refuse: (code, reason, rule = `DUIS-${code}`) =>
        this.refused(user, request, { ok: false, code, rule, reason }, now),
      commandPayload: (commandBody) => commandPayload(admitted.requestId, srv, commandBody, now),
      dispatch: (frame, trialReservation) => this.dispatch(admitted, request, frame, now, trialReservation),
      sendFollowUp: (target, commandBody) => this.followUp(admitted, request, target, commandBody, now),
      macAsAcb: (payload) => {
        const kaPublic = device === undefined ? undefined : this.state.smki.get(device)?.kaPublic;
        if (kaPublic === undefined || device === undefined) return undefined;
        const context = {
          originator: user,
          recipient: device,
          kind: 'command' as const,
          counter: BigInt(admitted.requestId.counter),
        };
        return macFor(this.state.config.acbKaPrivate, kaPublic, context, payload, this.env.secrets);
      },
    };
  }

  /** CV 4: the DCC builds the GBCS command (its Pre-Command) for the User to sign. */
  private transform(ctx: SrvRequestContext): DccEffect[] {
    const { admitted, request, now } = ctx;
    if (admitted.def.srv === '8.1.1') {
      const refusal = checkTrialSlot(this.state, admitted.record, now, admitted.user.eui);
      if (refusal !== undefined) return ctx.refuse(refusal.code, refusal.reason, refusal.rule);
    }
    const preCommand = this.env.codec.encodePayload(ctx.commandPayload(ctx.body));
    this.state.transforms.set(request.requestId, {
      user: admitted.user.eui,
      srv: admitted.def.srv,
      device: admitted.deviceId as Eui,
      preCommand,
      requestedAt: now,
    });
    return [this.response(admitted.user.eui, request.requestId, admitted.def.srv, 'I0', { preCommand })];
  }

  /** CV 5: the signed Pre-Command goes to the device; the device, not the DCC, checks the signature. */
  private sendSigned(ctx: SrvRequestContext): DccEffect[] {
    const { admitted, request, now } = ctx;
    const transform = this.state.transforms.get(request.requestId);
    if (transform === undefined) {
      // Also what a duplicated CV 5 meets once the first copy was dispatched: a distinct rule lets
      // the User tell the copy's refusal from its SR's outcome (test/reliability).
      return ctx.refuse('E12', 'CV 5 with no CV 4 transform for this RequestID', 'DUIS-CV5-NO-TRANSFORM');
    }
    if (request.preCommand === undefined || request.signature === undefined) {
      return ctx.refuse('E12', 'CV 5 needs preCommand and signature');
    }
    if (!sameBytes(request.preCommand, transform.preCommand)) {
      return ctx.refuse('E12', 'the signed Pre-Command differs from the one the DCC issued');
    }
    const late = futureDatedTimedOut(this.env.codec.decodePayload(transform.preCommand).body, now);
    if (late !== undefined) return ctx.refuse(late.code, late.reason, late.rule);
    let reservation: string | undefined;
    if (admitted.def.srv === '8.1.1') {
      const refusal = checkTrialSlot(this.state, admitted.record, now, admitted.user.eui);
      if (refusal !== undefined) return ctx.refuse(refusal.code, refusal.reason, refusal.rule);
      reservation = reserveTrialSlot(this.state, admitted.record);
    }
    this.state.transforms.delete(request.requestId);
    return ctx.dispatch({ payload: request.preCommand, signature: request.signature }, reservation);
  }

  /** Non-critical device SRs: the DCC's ACB MACs the command for the device (DCC.md §8). */
  private sendNonCritical(ctx: SrvRequestContext): DccEffect[] {
    const payload = this.env.codec.encodePayload(ctx.commandPayload(ctx.body));
    const mac = ctx.macAsAcb(payload);
    if (mac === undefined) return ctx.refuse('E20', `no SMKI certificate held for ${ctx.admitted.deviceId}`);
    return ctx.dispatch({ payload, mac });
  }

  private dispatch(
    admitted: Admitted,
    request: ServiceRequest,
    frame: GbcsFrame,
    now: number,
    trialReservation: string | undefined,
  ): DccEffect[] {
    const device = admitted.deviceId as Eui;
    const key = pendingKey(device, admitted.requestId.originator, admitted.requestId.counter);
    this.state.pending.set(key, {
      requestId: request.requestId,
      user: admitted.user.eui,
      srv: admitted.def.srv,
      device,
      requestedAt: now,
      body: request.body,
      trialReservation,
    });
    return [
      this.response(admitted.user.eui, request.requestId, admitted.def.srv, 'I99', {}),
      { type: 'toDevice', device, frame },
      {
        type: 'schedule',
        at: now + this.state.config.responseTimeoutMs,
        timer: { type: 'responseDeadline', key },
      },
    ];
  }

  /** A follow-up command after a non-device SR (srv-handler.ts `sendFollowUp`). */
  private followUp(
    admitted: Admitted,
    request: ServiceRequest,
    device: Eui,
    body: Record<string, unknown>,
    now: number,
  ): DccEffect[] | undefined {
    const kaPublic = this.state.smki.get(device)?.kaPublic;
    if (kaPublic === undefined) return undefined;
    const { originator, counter } = admitted.requestId;
    const payload = this.env.codec.encodePayload(
      commandPayload({ originator, target: device, counter }, admitted.def.srv, body, now),
    );
    const context = { originator, recipient: device, kind: 'command' as const, counter: BigInt(counter) };
    const mac = macFor(this.state.config.acbKaPrivate, kaPublic, context, payload, this.env.secrets);
    const key = pendingKey(device, originator, counter);
    this.state.pending.set(key, {
      requestId: request.requestId,
      user: admitted.user.eui,
      srv: admitted.def.srv,
      device,
      requestedAt: now,
      body: {},
      trialReservation: undefined,
    });
    return [
      { type: 'toDevice', device, frame: { payload, mac } },
      {
        type: 'schedule',
        at: now + this.state.config.responseTimeoutMs,
        timer: { type: 'responseDeadline', key },
      },
    ];
  }

  // --- device alerts ----------------------------------------------------------------------

  /** A device alert: relayed to the registered supplier; if it refuses a command, that SR ends here. */
  private deviceAlert(device: Eui, payload: GbcsPayload, frame: GbcsFrame, now: number): DccEffect[] {
    const kaPublic = this.state.smki.get(device)?.kaPublic;
    const context = {
      originator: device,
      recipient: this.state.config.acbEui,
      kind: 'alert' as const,
      counter: BigInt(payload.counter),
    };
    if (
      kaPublic === undefined ||
      frame.mac === undefined ||
      !checkMac(this.state.config.acbKaPrivate, kaPublic, context, frame.payload, frame.mac, this.env.secrets)
    ) {
      return [
        {
          type: 'notice',
          detail: `alert ${payload.messageCode} from ${device} failed its MAC check: dropped`,
        },
      ];
    }
    const recipients = new Map<Eui, Record<string, unknown>>();
    const alertKey =
      payload.inResponseTo === undefined
        ? undefined
        : findPendingKey(this.state, device, payload.inResponseTo, commandOriginator(payload.body));
    const pending = alertKey === undefined ? undefined : this.state.pending.get(alertKey);
    const followUp = pending === undefined ? undefined : FOLLOW_UP_HANDLERS[pending.srv];
    if (followUp !== undefined && alertKey !== undefined) {
      this.state.pending.delete(alertKey);
    } else if (pending !== undefined && alertKey !== undefined) {
      this.state.pending.delete(alertKey);
      releaseTrialSlot(this.state, pending);
      this.record(
        pending.requestId,
        pending.user,
        pending.srv,
        device,
        payload.messageCode,
        'DEVICE-REJECTED',
        pending.requestedAt,
        now,
      );
      recipients.set(pending.user, { requestId: pending.requestId, ...payload.body });
    }
    const supplier = this.state.smi.get(device)?.supplier;
    if (supplier !== undefined && !recipients.has(supplier)) recipients.set(supplier, { ...payload.body });
    // A follow-up's answer (11.1 transfer result) or an alert with DCC behaviour (0x8F66).
    const extra =
      followUp !== undefined && pending !== undefined
        ? followUp.answered(this.state, pending, payload, now)
        : (DEVICE_ALERT_HANDLERS[payload.messageCode]?.(this.state, device, payload, now) ?? []);
    const relays = [...recipients].map(([user, details]) => ({
      type: 'dccAlert' as const,
      user,
      message: {
        alert: 'DeviceAlert' as const,
        deviceId: device,
        raisedAt: now,
        alertCode: payload.messageCode,
        details,
      },
    }));
    return [...relays, ...extra];
  }

  // --- outcomes ---------------------------------------------------------------------------

  private refused(from: Eui, request: ServiceRequest, refusal: Refusal, now: number): DccEffect[] {
    this.record(
      request.requestId,
      from,
      request.serviceReferenceVariant,
      requestDevice(request, this.state.config.dccEui),
      refusal.code,
      refusal.rule,
      now,
      now,
    );
    return [
      this.response(from, request.requestId, request.serviceReferenceVariant, refusal.code, {
        rule: refusal.rule,
        reason: refusal.reason,
      }),
    ];
  }

  private response(
    user: Eui,
    requestId: string,
    srv: string,
    code: ResponseCode,
    extra: { rule?: string; reason?: string; body?: Record<string, unknown>; preCommand?: Uint8Array },
  ): DccEffect {
    const [originator, target, counter] = requestId.split(':');
    const responseId =
      counter === undefined
        ? requestId
        : responseIdFor({ originator: originator as Eui, target: target as Eui, counter: Number(counter) });
    return {
      type: 'serviceResponse',
      user,
      message: { responseId, requestId, serviceReferenceVariant: srv, responseCode: code, ...extra },
    };
  }

  private record(
    requestId: string,
    user: Eui,
    srv: string,
    device: Eui | undefined,
    outcome: string,
    rule: string | undefined,
    requestedAt: number,
    now: number,
  ): void {
    const trialId = device === undefined ? undefined : this.state.smi.get(device)?.trialId;
    this.state.outcomes.push({
      requestId,
      user,
      srv,
      device,
      outcome,
      rule,
      requestedAt,
      completedAt: now,
      trialDevice: trialId !== undefined,
      trialId,
    });
  }
}

/** The GBCS command for an SR. DUIS: the RequestID counter becomes the GBCS originator counter. */
function commandPayload(
  requestId: RequestId,
  srv: string,
  body: Record<string, unknown>,
  now: number,
): GbcsPayload {
  return {
    cra: 1,
    originator: euiToBytes(requestId.originator),
    recipient: euiToBytes(requestId.target),
    counter: requestId.counter,
    dateTime: Math.floor(now / 1000),
    messageCode: srv,
    body,
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** A refusal alert names the originator of the command it refuses (device-machine.ts `reject`). */
function commandOriginator(body: Record<string, unknown>): Eui | undefined {
  return typeof body.originator === 'string' && isEui(body.originator) ? body.originator : undefined;
}
