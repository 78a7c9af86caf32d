import type { ServiceRequest } from '../messages/duis-messages.js';
import type { Admitted } from './access-control.js';
import { commandRoute } from './command-route.js';
import type { DccState } from './dcc-state.js';
import { acbProtect, commandApdu } from './dcc-wire.js';
import { dispatchCommand, sendFollowUp } from './device-commands.js';
import { recordOutcome, refused, serviceResponse } from './sr-outcomes.js';
import type { DccEnvironment, SrvRequestContext } from './srv-handler.js';

/** The admitted request with the DCC's ways of answering it, as every SRV handler receives it. */
export function requestContext(
  state: DccState,
  env: DccEnvironment,
  admitted: Admitted,
  request: ServiceRequest,
  body: Record<string, unknown>,
  now: number,
): SrvRequestContext {
  const user = admitted.user.eui;
  const srv = admitted.def.srv;
  const device = admitted.deviceId;
  return {
    state,
    env,
    admitted,
    request,
    body,
    now,
    ok: (extra, effects = []) => {
      recordOutcome(state, request.requestId, user, srv, device, 'I0', undefined, now, now);
      return [serviceResponse(user, request.requestId, srv, 'I0', { body: extra }), ...effects];
    },
    refuse: (code, reason, rule = `DUIS-${code}`) =>
      refused(state, user, request, { ok: false, code, rule, reason }, now),
    commandApdu: (commandBody, preCommand = false) => {
      const spec = {
        srv,
        user,
        userCounter: admitted.requestId.counter,
        device: device as NonNullable<typeof device>,
        body: commandBody,
      };
      return commandApdu(state, env, spec, commandRoute(state, spec), now, preCommand);
    },
    dispatch: (frame, trialReservation, body) =>
      dispatchCommand(state, admitted, request, frame, now, trialReservation, body),
    sendFollowUp: (target, commandBody) =>
      sendFollowUp(state, env, admitted, request, target, commandBody, now),
    acbProtect: (apdu) => acbProtect(state, env, apdu),
  };
}
