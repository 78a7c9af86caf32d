import { lookupService } from '../services/service-catalogue.js';
import type { DccEffect, DccTimer } from './dcc-effects.js';
import type { DccState } from './dcc-state.js';
import { recordOutcome, serviceResponse } from './sr-outcomes.js';
import { endTrial } from './trial-administration.js';

/** A timer the DCC scheduled has come due: a trial's end, or a device's response deadline (E21). */
export function fireTimer(state: DccState, timer: DccTimer, now: number): DccEffect[] {
  if (timer.type === 'trialEnd') return endTrial(state, timer.trialId, now);
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
