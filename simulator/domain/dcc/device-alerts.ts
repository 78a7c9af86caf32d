import { type Eui, isEui } from '../eui.js';
import { checkMac } from '../gbcs/protection/protect.js';
import type { GbcsFrame, GbcsPayload } from '../messages/gbcs-messages.js';
import { deviceAlert } from '../services/device-alerts-catalogue.js';
import { lookupService } from '../services/service-catalogue.js';
import type { DccEffect } from './dcc-effects.js';
import { type DccState, findPendingKey } from './dcc-state.js';
import { recordOutcome } from './sr-outcomes.js';
import type { DccEnvironment } from './srv-handler.js';
import { releaseTrialSlot } from './trial-commissioning.js';

/** A device alert: relayed to the registered supplier; if it refuses a command, that SR ends here. */
export function receiveDeviceAlert(
  state: DccState,
  env: DccEnvironment,
  device: Eui,
  payload: GbcsPayload,
  frame: GbcsFrame,
  now: number,
): DccEffect[] {
  const kaPublic = state.smki.get(device)?.kaPublic;
  const context = {
    originator: device,
    recipient: state.config.acbEui,
    kind: 'alert' as const,
    counter: BigInt(payload.counter),
  };
  if (
    kaPublic === undefined ||
    frame.mac === undefined ||
    !checkMac(state.config.acbKaPrivate, kaPublic, context, frame.payload, frame.mac, env.secrets)
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
      : findPendingKey(state, device, payload.inResponseTo, commandOriginator(payload.body));
  const pending = alertKey === undefined ? undefined : state.pending.get(alertKey);
  const followUp = pending === undefined ? undefined : lookupService(pending.srv)?.dcc.followUp;
  if (followUp !== undefined && alertKey !== undefined) {
    state.pending.delete(alertKey);
  } else if (pending !== undefined && alertKey !== undefined) {
    state.pending.delete(alertKey);
    releaseTrialSlot(state, pending);
    recordOutcome(
      state,
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
  const supplier = state.smi.get(device)?.supplier;
  if (supplier !== undefined && !recipients.has(supplier)) recipients.set(supplier, { ...payload.body });
  // A follow-up's answer (11.1 transfer result) or an alert with DCC behaviour (0x8F66).
  const extra =
    followUp !== undefined && pending !== undefined
      ? followUp.answered(state, pending, payload, now)
      : (deviceAlert(payload.messageCode).dcc?.(state, device, payload, now) ?? []);
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

/** A refusal alert names the originator of the command it refuses (device-machine.ts `reject`). */
function commandOriginator(body: Record<string, unknown>): Eui | undefined {
  return typeof body.originator === 'string' && isEui(body.originator) ? body.originator : undefined;
}
