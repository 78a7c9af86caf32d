import type { ContentCodec } from '../../ports/content-codec.js';
import type { Eui } from '../eui.js';
import { dlmsDateTimeFromDate } from '../gbcs/apdu/dlms-date-time.js';
import type { GbcsMessage } from '../gbcs/apdu/gbcs-message.js';
import { encodeGeneralSigning, type GeneralSigningApdu } from '../gbcs/apdu/general-signing.js';
import { messageCodeOnly } from '../gbcs/apdu/other-information.js';
import { alertFrom, responseTo } from '../gbcs/apdu/response-header.js';
import { ecdhSharedSecret } from '../gbcs/protection/ecdh-shared-secret.js';
import { encodeDeviceSigned, encodeMacProtected } from '../gbcs/protection/gbcs-protect.js';
import type { SharedSecretSource } from '../gbcs/protection/shared-secret-cache.js';
import { alertRoute } from '../gbcs/use-cases/alert-routing.js';
import type { GbcsFrame } from '../messages/gbcs-messages.js';
import { writeAlertContent, writeResponseContent } from '../services/content/wire-content.js';
import { commandMessageCode } from '../services/service-catalogue.js';
import type { DeviceDefect } from './device-defects.js';
import type { DeviceState } from './device-state.js';
import { cellFor, findCell } from './trust-anchors.js';

/**
 * How a device writes its messages on the GBCS wire (simulator/PROTOCOL.md §4):
 * - a response echoes its command's transaction counter and other-information (an ACB-form
 *   response names the User and its counter again), goes to the command's originator, and is
 *   signed with the device's DS key when the command was critical, else MACed between the
 *   device's KA key and the recipient's;
 * - an alert carries the device's own alert counter, travels in the wrapper the alert table gives
 *   (GCA, GNCA, FDRA, CCS08, 0x00CA/0x00CB) to the party it names, device-signed when critical.
 * A MACed message needs the recipient's KA trust anchor; without one the device sends the bare
 * general-signing APDU, which the recipient refuses as unauthenticated.
 */
export interface WireEnv {
  readonly codec: ContentCodec;
  readonly secrets?: SharedSecretSource;
  readonly defect?: DeviceDefect;
}

function protect(state: DeviceState, env: WireEnv, apdu: GeneralSigningApdu, critical: boolean): GbcsFrame {
  if (critical) return { apdu: encodeDeviceSigned(apdu, state.keys.dsPrivate) };
  const peer = findCell(state.trustAnchors, apdu.recipient, 'keyAgreement');
  if (peer === undefined) return { apdu: encodeGeneralSigning(apdu) };
  return {
    apdu: encodeMacProtected(
      apdu,
      { ownKaPrivateKey: state.keys.kaPrivate, peerKaPublicKey: peer.publicKey },
      env.secrets,
    ),
  };
}

/** The response to a command the device has just read (its header as received). */
export function responseFrame(
  state: DeviceState,
  env: WireEnv,
  now: number,
  command: GbcsMessage,
  body: Readonly<Record<string, unknown>>,
  critical: boolean,
): GbcsFrame {
  const { counter, otherInformation } = command.apdu;
  // The party the command came from: in the ACB form the User riding in other-information
  // (GBCS.md §11, the encryption peer of an ACB-form read), else the header originator.
  const requester =
    otherInformation.form === 'remote-party' ? otherInformation.remotePartyId : command.apdu.originator;
  const content = writeResponseContent(
    otherInformation.messageCode,
    body,
    contentContext(state, env, counter, now, requester),
    env.codec,
  );
  return protect(state, env, responseTo(command.apdu, content, deviceTime(now)), critical);
}

/**
 * What the device knows when it writes a response payload: its own EUI, the requester, and Z
 * with any party it holds a KA trust anchor cell for (ECS17b encrypts for the requester, GBCS.md
 * §4.3); no cell, no Z, and the payload answers its failure form.
 */
function contentContext(state: DeviceState, env: WireEnv, counter: bigint, now: number, requester: Eui) {
  return {
    counter,
    now,
    originator: state.identity.eui,
    recipient: requester,
    sharedSecretWith: (party: Eui) => {
      const cell = findCell(state.trustAnchors, party, 'keyAgreement');
      if (cell === undefined) return undefined;
      return (
        env.secrets?.sharedSecret(state.keys.kaPrivate, cell.publicKey) ??
        ecdhSharedSecret(state.keys.kaPrivate, cell.publicKey)
      );
    },
  };
}

/**
 * The device's clock in the header's date-time field: GBCS has it on some responses (ECS17b,
 * CS06, CS02b); trialsim's devices write it on every response and alert, so a receiver (and the
 * conformance checks) can see the device's time, which must never run back.
 */
function deviceTime(now: number) {
  return dlmsDateTimeFromDate(new Date(now));
}

/** A response sent after its command was handled (a slow activation): rebuilt from what was kept. */
export function lateResponseFrame(
  state: DeviceState,
  env: WireEnv,
  now: number,
  reply: { recipient: Eui; srv: string; counter: number; body: Readonly<Record<string, unknown>> },
  critical: boolean,
): GbcsFrame {
  const messageCode = commandMessageCode(reply.srv, state.identity.deviceType, reply.body);
  const counter = BigInt(reply.counter);
  const apdu = responseTo(
    {
      counter,
      originator: reply.recipient,
      recipient: state.identity.eui,
      otherInformation: messageCodeOnly(messageCode),
    },
    writeResponseContent(
      messageCode,
      reply.body,
      contentContext(state, env, counter, now, reply.recipient),
      env.codec,
    ),
    deviceTime(now),
  );
  return protect(state, env, apdu, critical);
}

/**
 * The party an alert goes to, by the alert table: the ACB, or the Supplier (the device's Supplier
 * trust anchor); a future-dated outcome to the command's originator when known.
 */
function alertRecipient(
  state: DeviceState,
  route: ReturnType<typeof alertRoute>,
  originator: Eui | undefined,
): Eui | undefined {
  if (route.recipient === 'commandOriginator' && originator !== undefined) return originator;
  if (route.recipient === 'acb')
    return cellFor(state.trustAnchors, 'accessControlBroker', 'keyAgreement')?.eui;
  return (
    cellFor(state.trustAnchors, 'supplier', 'keyAgreement')?.eui ??
    cellFor(state.trustAnchors, 'supplier', 'digitalSignature')?.eui
  );
}

/**
 * An alert: the next alert counter, the wrapper's message code, the alert code in the content.
 * Undefined when the device knows no party to send it to (no trust anchors yet).
 */
export function alertFrame(
  state: DeviceState,
  env: WireEnv,
  now: number,
  alert: {
    code: string;
    body: Readonly<Record<string, unknown>>;
    originator?: Eui;
    futureDatedUseCase?: 'CS06' | 'CS02b';
  },
): { state: DeviceState; frame: GbcsFrame } | undefined {
  // A future-dated outcome's wrapper is its use case's: 0x00CA after CS06, 0x00CB after CS02b.
  const route = alertRoute(Number.parseInt(alert.code, 16), alert.futureDatedUseCase);
  const recipient = alertRecipient(state, route, alert.originator);
  if (recipient === undefined) return undefined;
  // The 'constant-counter' defect (mutant catalogue) reuses the alert counter.
  const counter = env.defect === 'constant-counter' ? 1 : state.ownCounter + 1;
  const apdu = alertFrom(
    state.identity.eui,
    recipient,
    BigInt(counter),
    messageCodeOnly(route.messageCode),
    writeAlertContent(
      route.messageCode,
      alert.code,
      alert.body,
      { counter: BigInt(counter), now, device: state.identity.eui },
      env.codec,
    ),
    deviceTime(now),
  );
  return { state: { ...state, ownCounter: counter }, frame: protect(state, env, apdu, route.critical) };
}
