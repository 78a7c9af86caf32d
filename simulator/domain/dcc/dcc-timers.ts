import { parseRequestId } from '../duis/request-id.js';
import { lookupSrv } from '../duis/srv-catalogue.js';
import { lookupService } from '../services/service-catalogue.js';
import type { Admitted } from './access-control.js';
import { executeHeldChangeOfSupplier } from './change-of-supplier.js';
import type { DccEffect, DccTimer } from './dcc-effects.js';
import type { DccState } from './dcc-state.js';
import { requestContext } from './request-context.js';
import { recordOutcome, serviceResponse } from './sr-outcomes.js';
import type { DccEnvironment } from './srv-handler.js';
import { endTrial } from './trial-administration.js';

/**
 * A timer the DCC scheduled has come due: a trial's end, a future-dated 6.23's execution
 * date-time, or a device's response deadline (E21).
 */
export function fireTimer(state: DccState, timer: DccTimer, now: number, env: DccEnvironment): DccEffect[] {
  if (timer.type === 'trialEnd') return endTrial(state, timer.trialId, now);
  if (timer.type === 'futureDatedCoS') return executeHeld(state, env, timer.requestId, now);
  const pending = state.pending.get(timer.key);
  if (pending === undefined) return [];
  const followUp = lookupService(pending.srv)?.dcc.followUp;
  if (followUp !== undefined) {
    state.pending.delete(timer.key);
    return followUp.timedOut(state, pending, now);
  }
  state.pending.delete(timer.key);
  // TRIALS.md "Limits" (a hard cap): no answer is not "not commissioned" — the device may have
  // run 8.1.1 and only its response been lost. The trial slot stays reserved until the supplier
  // finds out (a retried 8.1.1 succeeds on a commissioned device), so a lost response cannot let
  // the cap be overrun (test/integration/reliability/faults.test.ts).
  recordOutcome(
    state,
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
    serviceResponse(pending.user, pending.requestId, pending.srv, 'E21', {
      rule: 'DUIS-E21',
      reason: `no response from ${pending.device} within ${state.config.responseTimeoutMs / 1000} s`,
    }),
  ];
}

/** A future-dated 6.23 held since it was accepted: its request context rebuilt for execution. */
function executeHeld(state: DccState, env: DccEnvironment, requestId: string, now: number): DccEffect[] {
  const held = state.futureDatedCoS.get(requestId);
  if (held === undefined) return [];
  state.futureDatedCoS.delete(requestId);
  const user = state.users.get(held.user);
  const def = lookupSrv('6.23');
  if (user === undefined || def === undefined) return [];
  const admitted: Admitted = {
    ok: true,
    def,
    user,
    requestId: parseRequestId(held.request.requestId),
    deviceId: held.device,
    record: state.smi.get(held.device),
  };
  return executeHeldChangeOfSupplier(requestContext(state, env, admitted, held.request, held.body, now));
}
