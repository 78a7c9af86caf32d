import { findCplEntry, isTrialReference } from '../cpl/cpl-entry.js';
import type { Eui } from '../eui.js';
import type { SmiRecord } from '../smi/smi-record.js';
import { checkTrialCommissioning } from '../trial/trial.js';
import type { Refusal } from './access-control.js';
import type { DccState, PendingCommand } from './dcc-state.js';
import { screenActivation } from './firmware-screening.js';
import type { SrvRequestContext } from './srv-handler.js';
import { trialOf } from './trial-membership.js';

export { trialOf } from './trial-membership.js';

/** What the trial and CPL rules say about a device command before it goes to the device. */
export interface CommandScreening {
  readonly refusal?: Refusal;
  /** The trial whose slot to hold while the command is in flight (dispatch phase only). */
  readonly reservation?: string;
  /** Said in the acknowledgement when policy lets a command through with a warning. */
  readonly warning?: { readonly rule: string; readonly reason: string };
}

/**
 * The paths onto a trial's firmware that a command can take: 8.1.1 (commissioning) and 11.3
 * (activation). Checked at CV 4 (`transform`) and again at CV 5 (`dispatch`), when a slot is
 * reserved, so concurrent commands cannot overrun a cap. Other SRVs pass unscreened.
 */
export function screenDeviceCommand(
  ctx: SrvRequestContext,
  phase: 'transform' | 'dispatch',
): CommandScreening {
  const { state, admitted, request, now } = ctx;
  const user = admitted.user.eui;
  if (admitted.def.srv === '8.1.1') {
    const refusal = checkTrialSlot(state, admitted.record, now, user);
    if (refusal !== undefined) return { refusal };
    if (phase === 'transform') return {};
    const reservation = reserveTrialSlot(state, admitted.record);
    return reservation === undefined ? {} : { reservation };
  }
  if (admitted.def.srv !== '11.3' || admitted.record === undefined) return {};
  const body = phase === 'transform' ? ctx.body : state.activationRequests.get(request.requestId);
  if (phase === 'transform') state.activationRequests.set(request.requestId, ctx.body);
  else state.activationRequests.delete(request.requestId);
  if (body === undefined) return {};
  const screened = screenActivation(state, admitted.record, body.imageHash, user, now);
  if (screened.refusal !== undefined) {
    state.activationRequests.delete(request.requestId);
    return { refusal: screened.refusal };
  }
  const warning = screened.warning === undefined ? {} : { warning: screened.warning };
  if (phase === 'transform' || screened.joins === undefined) return warning;
  const trial = state.trials.get(screened.joins);
  if (trial === undefined) return warning;
  trial.reserved.add(admitted.record.deviceId);
  // A future-dated activation runs later (0x8F66): its slot is held past the command's answer,
  // until the device joins or its trial ends, so no other path can take it meanwhile.
  if (body.executionDateTime !== undefined) return warning;
  return { ...warning, reservation: trial.trialId };
}

/**
 * May this device be commissioned (8.1.1) now? Checked at CV 4 and again at CV 5, when a trial
 * slot is reserved, so concurrent commissioning cannot overrun a cap.
 * - DCC.md §5: only a Device Model with an Active CPL entry is commissioned (CPL-NOT-LISTED).
 * - TRIALS.md "Limits": a trial device only inside its trial's window (TRIAL-WINDOW) and cap
 *   (TRIAL-CAP), checked before the CPL status so a trial that ended (its entry now Expired)
 *   says so; TRIALS.md step 5: by the trial's sponsor, who provides the premises (TRIAL-SPONSOR).
 */
export function checkTrialSlot(
  state: DccState,
  record: SmiRecord | undefined,
  now: number,
  user?: Eui,
): Refusal | undefined {
  if (record === undefined) return undefined;
  const entry = findCplEntry(state.cpl, record);
  if (entry !== undefined && isTrialReference(entry.cpaCertificateReference)) {
    const refused = checkTrialDevice(state, record, entry.cpaCertificateReference, now, user);
    if (refused !== undefined) return refused;
  }
  if (entry === undefined || entry.status !== 'Active') {
    return {
      ok: false,
      code: 'E5',
      rule: 'CPL-NOT-LISTED',
      reason: `Device Model ${record.manufacturer} ${record.model} hw ${record.hardwareVersion} fw ${record.firmwareVersion} has ${entry === undefined ? 'no CPL entry' : `a ${entry.status} CPL entry`}: it cannot be commissioned`,
    };
  }
  return undefined;
}

function checkTrialDevice(
  state: DccState,
  record: SmiRecord,
  reference: string,
  now: number,
  user: Eui | undefined,
): Refusal | undefined {
  const trial = trialOf(state, record);
  if (trial === undefined) {
    return {
      ok: false,
      code: 'E5',
      rule: 'TRIAL-UNKNOWN',
      reason: `CPA reference ${reference} belongs to no approved trial`,
    };
  }
  if (user !== undefined && user !== trial.sponsor) {
    return {
      ok: false,
      code: 'E4',
      rule: 'TRIAL-SPONSOR',
      reason: `trial ${trial.trialId} devices are commissioned by its sponsor ${trial.sponsor}, not ${user}`,
    };
  }
  if (trial.commissioned.includes(record.deviceId)) return undefined;
  const refused = checkTrialCommissioning(trial, now);
  if (refused === undefined) return undefined;
  // A device whose slot is held (a command in flight, or one that ended in E21 — it may have run)
  // is already counted in the cap; only the window can refuse it (test/integration/reliability).
  if (refused.rule === 'TRIAL-CAP' && trial.reserved.has(record.deviceId)) return undefined;
  return { ok: false, code: 'E5', rule: refused.rule, reason: refused.reason };
}

export function reserveTrialSlot(state: DccState, record: SmiRecord | undefined): string | undefined {
  const trial = trialOf(state, record);
  if (trial === undefined || record === undefined) return undefined;
  trial.reserved.add(record.deviceId);
  return trial.trialId;
}

export function releaseTrialSlot(state: DccState, pending: PendingCommand): void {
  if (pending.trialReservation === undefined) return;
  state.trials.get(pending.trialReservation)?.reserved.delete(pending.device as Eui);
}
