import type { RequestId } from '../duis/request-id.js';
import { type Eui, euiToBytes } from '../eui.js';
import { macFor } from '../gbcs/protection/protect.js';
import type { ServiceRequest } from '../messages/duis-messages.js';
import type { GbcsFrame, GbcsPayload } from '../messages/gbcs-messages.js';
import type { Admitted } from './access-control.js';
import type { DccEffect } from './dcc-effects.js';
import { type DccState, pendingKey } from './dcc-state.js';
import { serviceResponse } from './sr-outcomes.js';
import type { DccEnvironment } from './srv-handler.js';

/** The GBCS command for an SR. DUIS: the RequestID counter becomes the GBCS originator counter. */
export function commandPayload(
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

/** Sends an SR's command to its device: I99 now, the device's answer (or E21) later. */
export function dispatchCommand(
  state: DccState,
  admitted: Admitted,
  request: ServiceRequest,
  frame: GbcsFrame,
  now: number,
  trialReservation: string | undefined,
): DccEffect[] {
  const device = admitted.deviceId as Eui;
  return [
    serviceResponse(admitted.user.eui, request.requestId, admitted.def.srv, 'I99', {}),
    ...commandAwaitingAnswer(state, admitted, request, device, frame, request.body, trialReservation, now),
  ];
}

/** A follow-up command after a non-device SR (srv-handler.ts `sendFollowUp`). */
export function sendFollowUp(
  state: DccState,
  env: DccEnvironment,
  admitted: Admitted,
  request: ServiceRequest,
  device: Eui,
  body: Record<string, unknown>,
  now: number,
): DccEffect[] | undefined {
  const kaPublic = state.smki.get(device)?.kaPublic;
  if (kaPublic === undefined) return undefined;
  const { originator, counter } = admitted.requestId;
  const payload = env.codec.encodePayload(
    commandPayload({ originator, target: device, counter }, admitted.def.srv, body, now),
  );
  const context = { originator, recipient: device, kind: 'command' as const, counter: BigInt(counter) };
  const mac = macFor(state.config.acbKaPrivate, kaPublic, context, payload, env.secrets);
  return commandAwaitingAnswer(state, admitted, request, device, { payload, mac }, {}, undefined, now);
}

/**
 * The command on its way to the device, and the pending entry its answer (or the response
 * deadline, then E21) will be matched against.
 */
function commandAwaitingAnswer(
  state: DccState,
  admitted: Admitted,
  request: ServiceRequest,
  device: Eui,
  frame: GbcsFrame,
  body: Record<string, unknown>,
  trialReservation: string | undefined,
  now: number,
): DccEffect[] {
  const key = pendingKey(device, admitted.requestId.originator, admitted.requestId.counter);
  state.pending.set(key, {
    requestId: request.requestId,
    user: admitted.user.eui,
    srv: admitted.def.srv,
    device,
    requestedAt: now,
    body,
    trialReservation,
  });
  return [
    { type: 'toDevice', device, frame },
    {
      type: 'schedule',
      at: now + state.config.responseTimeoutMs,
      timer: { type: 'responseDeadline', key },
    },
  ];
}
