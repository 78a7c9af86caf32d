import type { GbcsCodec } from '../../ports/gbcs-codec.js';
import { findCplEntry, isTrialReference } from '../cpl/cpl-entry.js';
import type { ResponseCode } from '../duis/response-codes.js';
import { responseIdFor } from '../duis/request-id.js';
import { SRV_BODY_SCHEMAS } from '../duis/srv-bodies.js';
import { type Eui, euiFromBytes, euiToBytes } from '../eui.js';
import { checkMac, macFor } from '../gbcs/protection/protect.js';
import type { SharedSecretSource } from '../gbcs/protection/shared-secret-cache.js';
import type { ServiceRequest } from '../messages/duis-messages.js';
import type { GbcsFrame, GbcsPayload } from '../messages/gbcs-messages.js';
import { applyTransition, type SmiRecord } from '../smi/smi-record.js';
import { checkTrialCommissioning } from '../trial/trial.js';
import { type Admitted, admit, type Refusal } from './access-control.js';
import type { DccEffect, DccTimer } from './dcc-effects.js';
import { type DccState, type PendingCommand, pendingKey } from './dcc-state.js';
import { alertToSupplier, applyCplRules, reconcileFirmware } from './firmware-reconciliation.js';
import { readInventory } from './inventory-read.js';
import { endTrial } from './trial-administration.js';

export interface DccEnvironment {
  readonly codec: GbcsCodec;
  readonly secrets?: SharedSecretSource;
}

/**
 * The DCC: DUIS in, GBCS out, and the SMI, CPL and trial rules between. Deterministic and free of
 * I/O: each handler mutates the DCC's own state and returns the effects for the node to carry out.
 * (The state is mutated in place rather than copied because the SMI holds up to 100k records;
 * the rule that matters — a refused request changes nothing — holds because every refusal is
 * decided before the first write.)
 */
export class DccCore {
  constructor(
    readonly state: DccState,
    private readonly env: DccEnvironment,
  ) {}

  handleServiceRequest(from: Eui, request: ServiceRequest, now: number): DccEffect[] {
    const continuation = request.commandVariant === 5;
    const admitted = admit(this.state, from, request, continuation);
    if (!admitted.ok) return this.finishRefused(from, request, admitted, now);
    const body = this.validateBody(admitted, request);
    if ('code' in body) return this.finishRefused(from, request, body, now);
    if (!continuation) admitted.user.lastCounter = admitted.requestId.counter;

    if (admitted.def.nonDevice) return this.nonDevice(admitted, request, body.value, now);
    if (admitted.def.critical) {
      return request.commandVariant === 4
        ? this.transform(admitted, request, body.value, now)
        : this.sendSigned(admitted, request, now);
    }
    return this.sendNonCritical(admitted, request, body.value, now);
  }

  handleDeviceFrame(device: Eui, frame: GbcsFrame, now: number): DccEffect[] {
    let payload: GbcsPayload;
    try {
      payload = this.env.codec.decodePayload(frame.payload);
    } catch (err) {
      return [{ type: 'notice', detail: `malformed message from ${device}: ${(err as Error).message}` }];
    }
    if (euiFromBytes(payload.originator) !== device) {
      return [{ type: 'notice', detail: `message on ${device}'s link claims to be from ${euiFromBytes(payload.originator)}` }];
    }
    if (payload.cra === 3) return this.deviceAlert(device, payload, frame, now);
    if (payload.cra !== 2 || payload.inResponseTo === undefined) {
      return [{ type: 'notice', detail: `unexpected message (cra ${payload.cra}) from ${device}` }];
    }
    const key = pendingKey(device, payload.inResponseTo);
    const pending = this.state.pending.get(key);
    if (pending === undefined) {
      // A late answer after E21, or a duplicate: the SR already has its outcome.
      return [{ type: 'notice', detail: `unsolicited response from ${device} to counter ${payload.inResponseTo}` }];
    }
    this.state.pending.delete(key);
    const effects = this.applyDeviceResponse(pending, payload, now);
    effects.unshift(this.response(pending.user, pending.requestId, pending.srv, 'I0', { body: { ...payload.body } }));
    this.record(pending.requestId, pending.user, pending.srv, device, 'I0', undefined, pending.requestedAt, now);
    return effects;
  }

  handleTimer(timer: DccTimer, now: number): DccEffect[] {
    if (timer.type === 'trialEnd') return endTrial(this.state, timer.trialId, now);
    const pending = this.state.pending.get(timer.key);
    if (pending === undefined) return [];
    this.state.pending.delete(timer.key);
    this.releaseReservation(pending);
    this.record(pending.requestId, pending.user, pending.srv, pending.device, 'E21', 'DUIS-E21', pending.requestedAt, now);
    return [
      this.response(pending.user, pending.requestId, pending.srv, 'E21', {
        rule: 'DUIS-E21',
        reason: `no response from ${pending.device} within ${this.state.config.responseTimeoutMs / 1000} s`,
      }),
    ];
  }

  // --- requests -------------------------------------------------------------------------

  private validateBody(admitted: Admitted, request: ServiceRequest): { value: Record<string, unknown> } | Refusal {
    const schema = SRV_BODY_SCHEMAS[admitted.def.srv];
    if (schema === undefined || request.commandVariant === 5) return { value: request.body };
    const parsed = schema.safeParse(request.body);
    if (parsed.success) return { value: parsed.data };
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    return { ok: false, code: 'E12', rule: 'DUIS-BODY', reason: `SRV ${admitted.def.srv} body invalid: ${issues}` };
  }

  private nonDevice(admitted: Admitted, request: ServiceRequest, body: Record<string, unknown>, now: number): DccEffect[] {
    const { def, user } = admitted;
    const ok = (extra: Record<string, unknown>, effects: DccEffect[] = []): DccEffect[] => {
      this.record(request.requestId, user.eui, def.srv, admitted.deviceId, 'I0', undefined, now, now);
      return [this.response(user.eui, request.requestId, def.srv, 'I0', { body: extra }), ...effects];
    };
    const record = admitted.record as SmiRecord;
    switch (def.srv) {
      case '12.2':
        return this.preNotify(admitted, request, body, now);
      case '8.2':
        return ok(readInventory(this.state, record));
      case '8.4': {
        const cause = `8.4 ${String(body.status)}`;
        if (!applyTransition(record, cause, now)) {
          return this.finishRefused(user.eui, request, refusal('E5', `cannot set ${record.status} to ${String(body.status)}`), now);
        }
        return ok({ status: record.status });
      }
      case '8.3': {
        applyTransition(record, '8.3', now);
        if (record.trialId !== undefined) this.state.trials.get(record.trialId)?.removed.set(record.deviceId, now);
        return ok({ status: record.status }, [
          alertToSupplier(record, 'MeterDecommissioningOrWithdrawal', now, { reason: '8.3 Decommission Device' }),
        ]);
      }
      default:
        return this.finishRefused(user.eui, request, refusal('E12', `SRV ${def.srv} is not implemented by trialsim yet`), now);
    }
  }

  /** 12.2: adds the device to the SMI as Pending — only for a Device Model on the CPL (DCC.md §5). */
  private preNotify(admitted: Admitted, request: ServiceRequest, body: Record<string, unknown>, now: number): DccEffect[] {
    const deviceId = body.deviceId as Eui;
    if (this.state.smi.has(deviceId)) {
      return this.finishRefused(admitted.user.eui, request, refusal('E5', `device ${deviceId} is already in the SMI`), now);
    }
    const key = {
      manufacturer: String(body.manufacturer),
      model: String(body.model),
      hardwareVersion: String(body.hardwareVersion),
      firmwareVersion: String(body.firmwareVersion),
    };
    const entry = findCplEntry(this.state.cpl, key);
    if (entry === undefined || entry.status !== 'Active') {
      return this.finishRefused(
        admitted.user.eui,
        request,
        refusal(
          'E12',
          `Device Model ${key.manufacturer} ${key.model} hw ${key.hardwareVersion} fw ${key.firmwareVersion} has ${entry === undefined ? 'no CPL entry' : `a ${entry.status} CPL entry`}`,
          'CPL-NOT-LISTED',
        ),
        now,
      );
    }
    const record: SmiRecord = {
      deviceId,
      deviceType: body.deviceType as SmiRecord['deviceType'],
      ...key,
      status: 'Pending',
      chfId: body.chfId as Eui | undefined,
      supplier: admitted.user.eui,
      networkOperator: body.networkOperator as Eui | undefined,
      trialId: undefined,
      history: [{ at: now, from: null, to: 'Pending', cause: '12.2' }],
    };
    this.state.smi.set(deviceId, record);
    this.record(request.requestId, admitted.user.eui, '12.2', deviceId, 'I0', undefined, now, now);
    return [this.response(admitted.user.eui, request.requestId, '12.2', 'I0', { body: { status: 'Pending' } })];
  }

  /** CV 4: the DCC builds the GBCS command (its Pre-Command) for the User to sign. */
  private transform(admitted: Admitted, request: ServiceRequest, body: Record<string, unknown>, now: number): DccEffect[] {
    const device = admitted.deviceId as Eui;
    const trialRefusal = this.trialCheck(admitted, now);
    if (trialRefusal !== undefined) return this.finishRefused(admitted.user.eui, request, trialRefusal, now);
    const preCommand = this.env.codec.encodePayload(this.commandPayload(admitted, body, now));
    this.state.transforms.set(request.requestId, {
      user: admitted.user.eui,
      srv: admitted.def.srv,
      device,
      preCommand,
      requestedAt: now,
    });
    return [this.response(admitted.user.eui, request.requestId, admitted.def.srv, 'I0', { preCommand })];
  }

  /** CV 5: the signed Pre-Command goes to the device; the device, not the DCC, checks the signature. */
  private sendSigned(admitted: Admitted, request: ServiceRequest, now: number): DccEffect[] {
    const transform = this.state.transforms.get(request.requestId);
    if (transform === undefined) {
      return this.finishRefused(admitted.user.eui, request, refusal('E12', 'CV 5 with no CV 4 transform for this RequestID'), now);
    }
    if (request.preCommand === undefined || request.signature === undefined) {
      return this.finishRefused(admitted.user.eui, request, refusal('E12', 'CV 5 needs preCommand and signature'), now);
    }
    if (!sameBytes(request.preCommand, transform.preCommand)) {
      return this.finishRefused(admitted.user.eui, request, refusal('E12', 'the signed Pre-Command differs from the one the DCC issued'), now);
    }
    let reservation: string | undefined;
    if (admitted.def.srv === '8.1.1') {
      const trialRefusal = this.trialCheck(admitted, now);
      if (trialRefusal !== undefined) return this.finishRefused(admitted.user.eui, request, trialRefusal, now);
      reservation = this.reserveTrialSlot(admitted);
    }
    this.state.transforms.delete(request.requestId);
    return this.dispatch(admitted, request, { payload: request.preCommand, signature: request.signature }, now, reservation);
  }

  /** Non-critical device SRs: the DCC's ACB MACs the command for the device (DCC.md §8). */
  private sendNonCritical(admitted: Admitted, request: ServiceRequest, body: Record<string, unknown>, now: number): DccEffect[] {
    const device = admitted.deviceId as Eui;
    const kaPublic = this.state.smki.get(device)?.kaPublic;
    if (kaPublic === undefined) {
      return this.finishRefused(admitted.user.eui, request, refusal('E20', `no SMKI certificate held for ${device}`), now);
    }
    const payload = this.env.codec.encodePayload(this.commandPayload(admitted, body, now));
    const context = { originator: admitted.user.eui, recipient: device, kind: 'command' as const, counter: BigInt(admitted.requestId.counter) };
    const mac = macFor(this.state.config.acbKaPrivate, kaPublic, context, payload, this.env.secrets);
    return this.dispatch(admitted, request, { payload, mac }, now, undefined);
  }

  private dispatch(
    admitted: Admitted,
    request: ServiceRequest,
    frame: GbcsFrame,
    now: number,
    trialReservation: string | undefined,
  ): DccEffect[] {
    const device = admitted.deviceId as Eui;
    const key = pendingKey(device, admitted.requestId.counter);
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
      { type: 'schedule', at: now + this.state.config.responseTimeoutMs, timer: { type: 'responseDeadline', key } },
    ];
  }

  private commandPayload(admitted: Admitted, body: Record<string, unknown>, now: number): GbcsPayload {
    return {
      cra: 1,
      originator: euiToBytes(admitted.user.eui),
      recipient: euiToBytes(admitted.deviceId as Eui),
      // DUIS: the RequestID counter becomes the GBCS originator counter (anti-replay at the device).
      counter: admitted.requestId.counter,
      dateTime: Math.floor(now / 1000),
      messageCode: admitted.def.srv,
      body,
    };
  }

  // --- trials -----------------------------------------------------------------------------

  private trialOf(record: SmiRecord | undefined) {
    if (record === undefined) return undefined;
    const entry = findCplEntry(this.state.cpl, record);
    if (entry === undefined || !isTrialReference(entry.cpaCertificateReference)) return undefined;
    for (const trial of this.state.trials.values()) {
      if (trial.cpaCertificateReference === entry.cpaCertificateReference) return trial;
    }
    return undefined;
  }

  private trialCheck(admitted: Admitted, now: number): Refusal | undefined {
    if (admitted.def.srv !== '8.1.1') return undefined;
    const entry = admitted.record === undefined ? undefined : findCplEntry(this.state.cpl, admitted.record);
    if (entry === undefined || !isTrialReference(entry.cpaCertificateReference)) return undefined;
    const trial = this.trialOf(admitted.record);
    if (trial === undefined) {
      return refusal('E5', `CPA reference ${entry.cpaCertificateReference} belongs to no approved trial`, 'TRIAL-UNKNOWN');
    }
    if (trial.reserved.has(admitted.deviceId as string) || trial.commissioned.includes(admitted.deviceId as Eui)) {
      return undefined;
    }
    const refused = checkTrialCommissioning(trial, now);
    return refused === undefined ? undefined : refusal('E5', refused.reason, refused.rule);
  }

  private reserveTrialSlot(admitted: Admitted): string | undefined {
    const trial = this.trialOf(admitted.record);
    if (trial === undefined) return undefined;
    trial.reserved.add(admitted.deviceId as string);
    return trial.trialId;
  }

  private releaseReservation(pending: PendingCommand): void {
    if (pending.trialReservation === undefined) return;
    this.state.trials.get(pending.trialReservation)?.reserved.delete(pending.device);
  }

  // --- device answers ---------------------------------------------------------------------

  private applyDeviceResponse(pending: PendingCommand, payload: GbcsPayload, now: number): DccEffect[] {
    const success = payload.body.status === 'success';
    const record = this.state.smi.get(pending.device);
    this.releaseReservation(pending);
    if (!success || record === undefined) return [];
    switch (pending.srv) {
      case '8.1.1': {
        applyTransition(record, '8.1.1', now);
        const trial = pending.trialReservation === undefined ? undefined : this.state.trials.get(pending.trialReservation);
        if (trial !== undefined) {
          trial.commissioned.push(record.deviceId);
          record.trialId = trial.trialId;
        }
        return applyCplRules(this.state, record, now);
      }
      case '8.11': {
        const joined = this.state.smi.get(String(pending.body.deviceId).toUpperCase() as Eui);
        if (joined !== undefined && pending.body.action === 'add') {
          applyTransition(joined, '8.11 add', now);
          joined.chfId = pending.device;
        }
        return [];
      }
      case '11.2':
      case '11.3':
        return typeof payload.body.firmwareVersion === 'string'
          ? reconcileFirmware(this.state, record, payload.body.firmwareVersion, now)
          : [];
      default:
        return [];
    }
  }

  /** A device alert: relayed to the registered supplier; if it refuses a command, that SR ends here. */
  private deviceAlert(device: Eui, payload: GbcsPayload, frame: GbcsFrame, now: number): DccEffect[] {
    const kaPublic = this.state.smki.get(device)?.kaPublic;
    const context = { originator: device, recipient: this.state.config.acbEui, kind: 'alert' as const, counter: BigInt(payload.counter) };
    if (kaPublic === undefined || frame.mac === undefined || !checkMac(this.state.config.acbKaPrivate, kaPublic, context, frame.payload, frame.mac, this.env.secrets)) {
      return [{ type: 'notice', detail: `alert ${payload.messageCode} from ${device} failed its MAC check: dropped` }];
    }
    const effects: DccEffect[] = [];
    let requestId: string | undefined;
    if (payload.inResponseTo !== undefined) {
      const key = pendingKey(device, payload.inResponseTo);
      const pending = this.state.pending.get(key);
      if (pending !== undefined) {
        this.state.pending.delete(key);
        this.releaseReservation(pending);
        requestId = pending.requestId;
        this.record(pending.requestId, pending.user, pending.srv, device, payload.messageCode, 'DEVICE-REJECTED', pending.requestedAt, now);
        effects.push({
          type: 'dccAlert',
          user: pending.user,
          message: { alert: 'DeviceAlert', deviceId: device, raisedAt: now, alertCode: payload.messageCode, details: { requestId, ...payload.body } },
        });
      }
    }
    const supplier = this.state.smi.get(device)?.supplier;
    if (supplier !== undefined && (requestId === undefined || effects.every((e) => e.type !== 'dccAlert' || e.user !== supplier))) {
      effects.push({
        type: 'dccAlert',
        user: supplier,
        message: { alert: 'DeviceAlert', deviceId: device, raisedAt: now, alertCode: payload.messageCode, details: { ...payload.body } },
      });
    }
    return effects;
  }

  // --- outcomes ---------------------------------------------------------------------------

  private finishRefused(from: Eui, request: ServiceRequest, refused: Refusal, now: number): DccEffect[] {
    this.record(request.requestId, from, request.serviceReferenceVariant, undefined, refused.code, refused.rule, now, now);
    return [
      this.response(from, request.requestId, request.serviceReferenceVariant, refused.code, {
        rule: refused.rule,
        reason: refused.reason,
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
    let responseId = requestId;
    try {
      const [originator, target, counter] = requestId.split(':');
      responseId = responseIdFor({ originator: originator as Eui, target: target as Eui, counter: Number(counter) });
    } catch {
      // A malformed RequestID is answered with itself as the ResponseID.
    }
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
    const trialDevice = device !== undefined && this.state.smi.get(device)?.trialId !== undefined;
    this.state.outcomes.push({ requestId, user, srv, device, outcome, rule, requestedAt, completedAt: now, trialDevice });
  }
}

function refusal(code: ResponseCode, reason: string, rule = `DUIS-${code}`): Refusal {
  return { ok: false, code, rule, reason };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
