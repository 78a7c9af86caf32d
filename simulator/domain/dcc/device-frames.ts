import { type Eui, euiToBytes } from '../eui.js';
import { decodeGbcsMessage, type GbcsMessage } from '../gbcs/apdu/gbcs-message.js';
import { formatMessageCode } from '../gbcs/use-cases/use-case-catalogue.js';
import type { GbcsFrame, GbcsPayload } from '../messages/gbcs-messages.js';
import { readResponseContent } from '../services/content/wire-content.js';
import { lookupService } from '../services/service-catalogue.js';
import type { DccEffect } from './dcc-effects.js';
import { type DccState, findPendingKey } from './dcc-state.js';
import { deviceMessageAuthenticity } from './dcc-wire.js';
import { receiveDeviceAlert } from './device-alerts.js';
import { recordOutcome, serviceResponse } from './sr-outcomes.js';
import type { DccEnvironment } from './srv-handler.js';
import { releaseTrialSlot } from './trial-commissioning.js';

/**
 * A GBCS message from a device: an alert (device-alerts.ts), or a response matched to the pending
 * command it answers, which ends that SR with I0. Anything else is noticed and dropped: bytes that
 * are not GBCS, a message claiming another originator than the link's device, a signature or
 * ACB MAC that does not verify.
 */
export function receiveDeviceFrame(
  state: DccState,
  env: DccEnvironment,
  device: Eui,
  frame: GbcsFrame,
  now: number,
): DccEffect[] {
  let message: GbcsMessage;
  try {
    message = decodeGbcsMessage(frame.apdu);
  } catch (err) {
    return [{ type: 'notice', detail: `malformed message from ${device}: ${(err as Error).message}` }];
  }
  const apdu = message.apdu;
  if (apdu.originator !== device) {
    return [{ type: 'notice', detail: `message on ${device}'s link claims to be from ${apdu.originator}` }];
  }
  if (apdu.cra === 'alert') return receiveDeviceAlert(state, env, device, message, frame.apdu, now);
  if (apdu.cra !== 'response') {
    return [{ type: 'notice', detail: `unexpected command from ${device}: dropped` }];
  }
  // The User and its counter: the header's recipient and counter, or in the ACB form the
  // supplementary remote party and its counter (the response repeats the command's other-information).
  const info = apdu.otherInformation;
  const acbForm = info.form === 'remote-party';
  const user = acbForm ? info.remotePartyId : apdu.recipient;
  const userCounter = Number(acbForm ? info.remotePartyCounter : apdu.counter);
  const key = findPendingKey(state, device, userCounter, user);
  const pending = key === undefined ? undefined : state.pending.get(key);
  if (key === undefined || pending === undefined) {
    // A late answer after E21, or a duplicate: the SR already has its outcome.
    return [
      { type: 'notice', detail: `unsolicited response from ${device} to counter ${userCounter}: dropped` },
    ];
  }
  if (deviceMessageAuthenticity(state, env, device, message) === 'invalid') {
    return [
      {
        type: 'notice',
        detail: `response from ${device} to counter ${userCounter} failed its signature or MAC check: dropped`,
      },
    ];
  }
  let body: Record<string, unknown>;
  try {
    body = readResponseContent(
      info.messageCode,
      apdu.content,
      message.contentOffset,
      env.codec,
      pending.body,
    );
  } catch (err) {
    return [{ type: 'notice', detail: `response from ${device}: ${(err as Error).message}` }];
  }
  const payload: GbcsPayload = {
    cra: 2,
    originator: euiToBytes(device),
    recipient: euiToBytes(user),
    counter: Number(apdu.counter),
    dateTime: Math.floor(now / 1000),
    messageCode: pending.srv,
    inResponseTo: userCounter,
    body,
    useCase: formatMessageCode(info.messageCode),
  };
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
    // The APDU as the device sent it, MAC header included: DUIS's GBCSPayload (DUIS.md §3.1 shape 4).
    serviceResponse(pending.user, pending.requestId, pending.srv, 'I0', {
      body: { ...payload.body },
      gbcsPayload: Uint8Array.from(frame.apdu),
    }),
    ...effects,
  ];
}
