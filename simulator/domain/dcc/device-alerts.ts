import { type Eui, euiToBytes } from '../eui.js';
import type { GbcsMessage } from '../gbcs/apdu/gbcs-message.js';
import { formatMessageCode } from '../gbcs/use-cases/use-case-catalogue.js';
import type { GbcsPayload } from '../messages/gbcs-messages.js';
import { readAlertContent } from '../services/content/wire-content.js';
import { deviceAlert } from '../services/device-alerts-catalogue.js';
import { lookupService } from '../services/service-catalogue.js';
import type { DccEffect } from './dcc-effects.js';
import type { DccState } from './dcc-state.js';
import { deviceMessageAuthenticity } from './dcc-wire.js';
import { recordOutcome } from './sr-outcomes.js';
import type { DccEnvironment } from './srv-handler.js';
import { releaseTrialSlot } from './trial-commissioning.js';

/**
 * Alerts that answer a command: the refusals (the device raises them instead of a response) and
 * the outcome of an 11.1 transfer. GBCS gives them no command counter (a GCA carries the alert
 * code and a time), so the DCC matches one to the oldest command it still waits for from that
 * device (PROTOCOL.md §4.6); any other alert is the device's own news.
 */
const ANSWERING_ALERTS: ReadonlySet<string> = new Set([
  '0x8F1E',
  '0x8F3D',
  '0x8F3E',
  '0x8F30',
  '0x8F8A',
  '0x8F89',
]);

/** The wrappers of a future-dated command's outcome: after CS06 and after CS02b (GBCS.md §3). */
const FUTURE_DATED_WRAPPERS: ReadonlySet<number> = new Set([0x00ca, 0x00cb]);

function oldestPendingKey(state: DccState, device: Eui): string | undefined {
  for (const [key, pending] of state.pending) if (pending.device === device) return key;
  return undefined;
}

/** A device alert: relayed to the registered supplier; if it refuses a command, that SR ends here. */
export function receiveDeviceAlert(
  state: DccState,
  env: DccEnvironment,
  device: Eui,
  message: GbcsMessage,
  /** The alert's bytes as the device sent them: DeviceAlertMessage's GBCSPayload (DUIS.md §3). */
  bytes: Uint8Array,
  now: number,
): DccEffect[] {
  const apdu = message.apdu;
  const wrapper = formatMessageCode(apdu.otherInformation.messageCode);
  if (deviceMessageAuthenticity(state, env, device, message) === 'invalid') {
    return [
      {
        type: 'notice',
        detail: `alert ${wrapper} from ${device} failed its signature or MAC check: dropped`,
      },
    ];
  }
  let content: Record<string, unknown>;
  try {
    content = readAlertContent(
      apdu.otherInformation.messageCode,
      apdu.content,
      message.contentOffset,
      env.codec,
    );
  } catch (err) {
    return [{ type: 'notice', detail: `alert ${wrapper} from ${device}: ${(err as Error).message}` }];
  }
  const { alertCode, ...body } = content;
  if (typeof alertCode !== 'string') {
    return [{ type: 'notice', detail: `alert ${wrapper} from ${device} names no alert code: dropped` }];
  }
  const payload: GbcsPayload = {
    cra: 3,
    originator: euiToBytes(device),
    recipient: euiToBytes(apdu.recipient),
    counter: Number(apdu.counter),
    dateTime: Math.floor(now / 1000),
    messageCode: alertCode,
    body,
    useCase: wrapper,
  };
  const recipients = new Map<Eui, Record<string, unknown>>();
  const alertKey = ANSWERING_ALERTS.has(alertCode) ? oldestPendingKey(state, device) : undefined;
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
  // A future-dated outcome (0x00CA, 0x00CB) is addressed to the User that sent the command
  // (GBCS.md §5.5): it hears it even when it is not the registered supplier (a network operator's
  // own 6.15.1, or a supplier that has just handed over its cells).
  const addressee = apdu.recipient;
  const futureDated = FUTURE_DATED_WRAPPERS.has(apdu.otherInformation.messageCode);
  if (futureDated && state.users.has(addressee) && !recipients.has(addressee))
    recipients.set(addressee, { ...payload.body });
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
      gbcsPayload: Uint8Array.from(bytes),
    },
  }));
  return [...relays, ...extra];
}
