import type { Eui } from '../eui.js';
import type { ServiceRequest } from '../messages/duis-messages.js';
import type { GbcsFrame } from '../messages/gbcs-messages.js';
import type { Admitted } from './access-control.js';
import { commandRoute } from './command-route.js';
import type { DccEffect } from './dcc-effects.js';
import { type DccState, pendingKey } from './dcc-state.js';
import { acbProtect, commandApdu } from './dcc-wire.js';
import { serviceResponse } from './sr-outcomes.js';
import type { DccEnvironment } from './srv-handler.js';

/** Sends an SR's command to its device: I99 now, the device's answer (or E21) later. */
export function dispatchCommand(
  state: DccState,
  admitted: Admitted,
  request: ServiceRequest,
  frame: GbcsFrame,
  now: number,
  trialReservation: string | undefined,
  body: Record<string, unknown> = request.body,
): DccEffect[] {
  const device = admitted.deviceId as Eui;
  return [
    serviceResponse(admitted.user.eui, request.requestId, admitted.def.srv, 'I99', {}),
    ...commandAwaitingAnswer(state, admitted, request, device, frame, body, trialReservation, now),
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
  const { originator, counter } = admitted.requestId;
  const spec = { srv: admitted.def.srv, user: originator, userCounter: counter, device, body };
  const frame = acbProtect(state, env, commandApdu(state, env, spec, commandRoute(state, spec), now));
  if (frame === undefined) return undefined;
  return commandAwaitingAnswer(state, admitted, request, device, frame, {}, undefined, now);
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
