import { responseIdFor } from '../duis/request-id.js';
import type { ResponseCode } from '../duis/response-codes.js';
import type { Eui } from '../eui.js';
import type { ServiceRequest } from '../messages/duis-messages.js';
import { type Refusal, requestDevice } from './access-control.js';
import type { DccEffect } from './dcc-effects.js';
import type { DccState } from './dcc-state.js';
import { trialOfModel, trialOfOutcome } from './trial-membership.js';

/**
 * How a service request ends: the DUIS Service Response the User receives and the DCC's own
 * record of the outcome (for OPR and the evidence). Every SR gets exactly one recorded outcome.
 */
export function serviceResponse(
  user: Eui,
  requestId: string,
  srv: string,
  code: ResponseCode,
  extra: {
    rule?: string;
    reason?: string;
    body?: Record<string, unknown>;
    preCommand?: Uint8Array;
    /** The device's response APDU as it arrived, for DUIS's GBCSPayload. */
    gbcsPayload?: Uint8Array;
  },
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

export function recordOutcome(
  state: DccState,
  requestId: string,
  user: Eui,
  srv: string,
  device: Eui | undefined,
  outcome: string,
  rule: string | undefined,
  requestedAt: number,
  now: number,
  /** For a device not (yet) in the SMI: the trial its declared firmware belongs to (12.2). */
  declaredTrialId?: string,
): void {
  // By the firmware the SMI records, from the device's first contact (trial-membership.ts).
  const record = device === undefined ? undefined : state.smi.get(device);
  const trialId = record === undefined ? declaredTrialId : trialOfOutcome(state, record);
  state.outcomes.push({
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

/** A refused 12.2 is still the device's first contact: its declared model and firmware say. */
function declaredTrial(state: DccState, request: ServiceRequest): string | undefined {
  if (request.serviceReferenceVariant !== '12.2') return undefined;
  const body = request.body;
  return trialOfModel(state, {
    manufacturer: String(body.manufacturer),
    model: String(body.model),
    hardwareVersion: String(body.hardwareVersion),
    firmwareVersion: String(body.firmwareVersion),
  })?.trialId;
}

export function refused(
  state: DccState,
  from: Eui,
  request: ServiceRequest,
  refusal: Refusal,
  now: number,
): DccEffect[] {
  recordOutcome(
    state,
    request.requestId,
    from,
    request.serviceReferenceVariant,
    requestDevice(request, state.config.dccEui),
    refusal.code,
    refusal.rule,
    now,
    now,
    declaredTrial(state, request),
  );
  return [
    serviceResponse(from, request.requestId, request.serviceReferenceVariant, refusal.code, {
      rule: refusal.rule,
      reason: refusal.reason,
    }),
  ];
}
