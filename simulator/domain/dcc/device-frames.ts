import { type Eui, euiFromBytes } from '../eui.js';
import type { GbcsFrame, GbcsPayload } from '../messages/gbcs-messages.js';
import { lookupService } from '../services/service-catalogue.js';
import type { DccEffect } from './dcc-effects.js';
import { type DccState, findPendingKey } from './dcc-state.js';
import { receiveDeviceAlert } from './device-alerts.js';
import { recordOutcome, serviceResponse } from './sr-outcomes.js';
import type { DccEnvironment } from './srv-handler.js';
import { releaseTrialSlot } from './trial-commissioning.js';

/**
 * A GBCS message from a device: an alert (device-alerts.ts), or a response matched to the pending
 * command it answers, which ends that SR with I0. Anything else is noticed and dropped.
 */
export function receiveDeviceFrame(
  state: DccState,
  env: DccEnvironment,
  device: Eui,
  frame: GbcsFrame,
  now: number,
): DccEffect[] {
  let payload: GbcsPayload;
  try {
    payload = env.codec.decodePayload(frame.payload);
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
  if (payload.cra === 3) return receiveDeviceAlert(state, env, device, payload, frame, now);
  if (payload.cra !== 2 || payload.inResponseTo === undefined) {
    return [{ type: 'notice', detail: `unexpected message (cra ${payload.cra}) from ${device}` }];
  }
  const key = findPendingKey(state, device, payload.inResponseTo, euiFromBytes(payload.recipient));
  const pending = key === undefined ? undefined : state.pending.get(key);
  if (key === undefined || pending === undefined) {
    // A late answer after E21, or a duplicate: the SR already has its outcome.
    return [
      {
        type: 'notice',
        detail: `unsolicited response from ${device} to counter ${payload.inResponseTo}: dropped`,
      },
    ];
  }
  const service = lookupService(pending.srv)?.dcc;
  const followUp = service?.followUp;
  if (followUp !== undefined) {
    // A follow-up of a non-device SR (11.1, 8.3): that SR already has its outcome.
    state.pending.delete(key);
    return followUp.answered(state, pending, payload, now);
  }
  state.pending.delete(key);
  releaseTrialSlot(state, pending);
  const record = state.smi.get(device);
  const handler = service?.response;
  const effects =
    payload.body.status === 'success' && record !== undefined && handler !== undefined
      ? handler(state, pending, payload, record, now)
      : [];
  recordOutcome(
    state,
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
    serviceResponse(pending.user, pending.requestId, pending.srv, 'I0', { body: { ...payload.body } }),
    ...effects,
  ];
}
