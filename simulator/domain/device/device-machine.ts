import type { ContentCodec } from '../../ports/content-codec.js';
import { type Eui, euiToBytes } from '../eui.js';
import { decodeGbcsMessage, type GbcsMessage } from '../gbcs/apdu/gbcs-message.js';
import { checkGbcsMac } from '../gbcs/protection/gbcs-protect.js';
import { checkGbcsSignature } from '../gbcs/protection/gbcs-signature.js';
import type { SharedSecretSource } from '../gbcs/protection/shared-secret-cache.js';
import { srvForMessageCode } from '../gbcs/wire/trialsim-profile.js';
import type { GbcsFrame, GbcsPayload } from '../messages/gbcs-messages.js';
import { readCommandContent } from '../services/content/wire-content.js';
import { deviceExecution } from '../services/service-catalogue.js';
import { executeCommand } from './device-commands.js';
import { type DeviceDefect, hasDefect, roleCheckDefectFor } from './device-defects.js';
import { onDeviceTimer, powerLost, powerRestored } from './device-firmware.js';
import { type CommandResult, type DeviceOutputs, type DeviceTimer, NO_OUTPUTS } from './device-output.js';
import { appendLog, type DeviceState } from './device-state.js';
import { alertFrame, lateResponseFrame, responseFrame } from './device-wire.js';
import { onCredentialsTimer, runOverdueCredentials } from './future-dated-credentials.js';
import { cellFor, findCell } from './trust-anchors.js';

/**
 * The SMETS2 device as a pure step function: (state, event) → (state, effects). No I/O, no
 * clock reads: `now` comes with the event. A rejected command returns the same state object
 * apart from the security log, which is what the property tests check.
 */
export type DeviceEvent =
  | { readonly type: 'frame'; readonly frame: GbcsFrame; readonly now: number }
  | { readonly type: 'malformed'; readonly detail: string; readonly now: number }
  /** A timer the device asked for (a `schedule` effect) is due. */
  | { readonly type: 'timer'; readonly timer: DeviceTimer; readonly now: number }
  /** Mains power lost (`on: false`) or restored. */
  | { readonly type: 'power'; readonly on: boolean; readonly now: number };

export type DeviceEffect =
  | { readonly type: 'send'; readonly frame: GbcsFrame }
  /** Step the device again with a `timer` event at virtual instant `at` (future-dated commands). */
  | { readonly type: 'schedule'; readonly at: number; readonly timer: DeviceTimer };

export interface DeviceStep {
  readonly state: DeviceState;
  readonly effects: readonly DeviceEffect[];
  /** What happened, for traces and tests: `executed`, or the GBCS alert code of a rejection. */
  readonly outcome: string;
}

export interface DeviceEnvironment {
  /** The content of trialsim-profile messages (PROTOCOL.md §5). */
  readonly codec: ContentCodec;
  readonly secrets?: SharedSecretSource;
  /** A named defect for the mutant catalogue (device-defects.ts); never set in a normal run. */
  readonly defect?: DeviceDefect;
}

/** GBCS alert codes a device raises when it refuses a command (DCC.md §3). */
export const DEVICE_REJECTIONS = {
  authenticationFailure: '0x8F3D',
  unauthorisedAccess: '0x8F3E',
  noAuthority: '0x8F30',
  integrityFailure: '0x8F1E',
} as const;

export function stepDevice(state: DeviceState, event: DeviceEvent, env: DeviceEnvironment): DeviceStep {
  if (event.type === 'timer' || event.type === 'power') return stepPowerOrTimer(state, event, env);
  // Powered off, the device hears nothing, logs nothing and answers nothing: the DCC gives E21.
  if (!state.powered) return { state, effects: [], outcome: 'powerOff' };
  if (event.type === 'malformed') {
    if (hasDefect(env, 'no-alert-on-malformed')) return { state, effects: [], outcome: 'ignored' };
    return reject(state, env, event.now, DEVICE_REJECTIONS.integrityFailure, event.detail);
  }
  const read = readCommand(state, event.frame, env);
  if (!read.ok) {
    if (read.malformed && hasDefect(env, 'no-alert-on-malformed')) {
      return { state, effects: [], outcome: 'ignored' };
    }
    return reject(state, env, event.now, read.code, read.detail);
  }
  const { message, srv, body, authorising, critical } = read;
  const apdu = message.apdu;
  const execution = deviceExecution(srv);

  // 1. Trusted source. The ACB's MAC (checked in readCommand) covers every command; a critical
  //    one must also carry the originator's signature, verifying against its DS trust anchor.
  if (critical) {
    const detail = signatureProblem(state, message, env);
    if (detail !== undefined) {
      const burnt = hasDefect(env, 'counter-advances-on-reject')
        ? burnCounter(state, apdu.originator, Number(apdu.counter))
        : state;
      return reject(burnt, env, event.now, DEVICE_REJECTIONS.authenticationFailure, detail);
    }
  }

  // 2. Authority: the party is known, but may it send this command? In the ACB form the ACB
  //    originates and the User, the supplementary remote party, is the one authorised.
  const sourceCell = findCell(
    state.trustAnchors,
    authorising,
    critical ? 'digitalSignature' : 'keyAgreement',
  );
  const allowed = execution?.authority ?? [];
  const unknownAllowed = sourceCell === undefined && hasDefect(env, 'no-originator-check');
  const roleCheckSkipped =
    hasDefect(env, 'no-role-check') || hasDefect(env, roleCheckDefectFor(srv, critical, allowed));
  const roleAllowed = sourceCell !== undefined && (allowed.includes(sourceCell.role) || roleCheckSkipped);
  if (!unknownAllowed && !roleAllowed) {
    return reject(
      state,
      env,
      event.now,
      DEVICE_REJECTIONS.noAuthority,
      `${authorising} (${sourceCell?.role ?? 'unknown party'}) may not send ${srv}`,
    );
  }

  // 3. Anti-replay (DCC.md §8): strictly greater than the last counter accepted from the header
  //    originator, and at least the floor its credentials were installed with (CS02b).
  const originator = apdu.originator;
  const counter = Number(apdu.counter);
  const last = state.lastCounters[originator] ?? -1;
  const floor = state.counterFloors[originator] ?? 0;
  const replayed = hasDefect(env, 'accept-replay') ? counter < last : counter <= last;
  const belowFloor = counter < floor && !hasDefect(env, 'ignore-counter-floor');
  if (replayed || belowFloor) {
    return reject(
      state,
      env,
      event.now,
      DEVICE_REJECTIONS.unauthorisedAccess,
      `replayed or old counter ${counter} from ${originator} (last accepted ${last}, floor ${floor})`,
    );
  }

  const accepted: DeviceState = {
    ...state,
    lastCounters: { ...state.lastCounters, [originator]: counter },
  };
  const command: GbcsPayload = {
    cra: 1,
    originator: euiToBytes(authorising),
    recipient: euiToBytes(state.identity.eui),
    counter,
    dateTime: Math.floor(event.now / 1000),
    messageCode: srv,
    body,
  };
  const result = executeCommand(accepted, command, event.now, env.defect);
  const effects: DeviceEffect[] = [];
  if (result.body !== undefined) {
    const frame = responseFrame(result.state, env, event.now, message, result.body, critical);
    effects.push({ type: 'send', frame });
    if (hasDefect(env, 'answer-twice')) effects.push({ type: 'send', frame });
  }
  const emitted = emit(result.state, env, event.now, result.outputs ?? NO_OUTPUTS);
  return { state: emitted.state, effects: [...effects, ...emitted.effects], outcome: 'executed' };
}

type ReadCommand =
  | {
      readonly ok: true;
      readonly message: GbcsMessage;
      readonly srv: string;
      readonly body: Record<string, unknown>;
      /** The party whose authority the command carries (the User, also in the ACB form). */
      readonly authorising: Eui;
      readonly critical: boolean;
    }
  | { readonly ok: false; readonly code: string; readonly detail: string; readonly malformed?: boolean };

/**
 * Decodes the APDU and checks the ACB's MAC before reading the content the MAC protects. Bytes
 * that are not a GBCS command for this device, an unknown message code or unreadable content:
 * 0x8F1E, the integrity check of content or format. No ACB trust anchor, no MAC header or a MAC
 * that does not verify: 0x8F3D, the trusted source (the ACB) is not authenticated.
 */
function readCommand(state: DeviceState, frame: GbcsFrame, env: DeviceEnvironment): ReadCommand {
  const integrity = DEVICE_REJECTIONS.integrityFailure;
  let message: GbcsMessage;
  try {
    message = decodeGbcsMessage(frame.apdu);
  } catch (err) {
    return { ok: false, code: integrity, detail: (err as Error).message, malformed: true };
  }
  const apdu = message.apdu;
  const forOther = apdu.recipient !== state.identity.eui && !hasDefect(env, 'ignore-recipient');
  if (apdu.cra !== 'command' || forOther) {
    return { ok: false, code: integrity, detail: 'not a command for this device' };
  }
  const acb = cellFor(state.trustAnchors, 'accessControlBroker', 'keyAgreement');
  if (acb === undefined) {
    return { ok: false, code: DEVICE_REJECTIONS.authenticationFailure, detail: 'no ACB trust anchor' };
  }
  const info = apdu.otherInformation;
  const srv = srvForMessageCode(info.messageCode, state.identity.deviceType);
  const execution = srv === undefined ? undefined : deviceExecution(srv);
  const critical = execution?.critical ?? false;
  if (!(hasDefect(env, 'no-mac-check-non-critical') && !critical)) {
    const authentication = DEVICE_REJECTIONS.authenticationFailure;
    if (message.mac === null) {
      return { ok: false, code: authentication, detail: 'a command without the ACB MAC header' };
    }
    const keys = { ownKaPrivateKey: state.keys.kaPrivate, peerKaPublicKey: acb.publicKey };
    if (checkGbcsMac(message, keys, env.secrets) !== 'valid') {
      return { ok: false, code: authentication, detail: 'MAC does not verify against the ACB trust anchor' };
    }
  }
  if (srv === undefined || execution === undefined) {
    return {
      ok: false,
      code: integrity,
      detail: `message code 0x${info.messageCode.toString(16).padStart(4, '0')} is no command this ${state.identity.deviceType} supports`,
    };
  }
  let body: Record<string, unknown>;
  try {
    body = readCommandContent(info.messageCode, apdu.content, message.contentOffset, env.codec);
  } catch (err) {
    return { ok: false, code: integrity, detail: `content: ${(err as Error).message}`, malformed: true };
  }
  const authorising = info.form === 'remote-party' ? info.remotePartyId : apdu.originator;
  return { ok: true, message, srv, body, authorising, critical };
}

/** Why a critical command's signature fails (undefined: it verifies against the originator's DS cell). */
function signatureProblem(
  state: DeviceState,
  message: GbcsMessage,
  env: DeviceEnvironment,
): string | undefined {
  if (hasDefect(env, 'no-signature-check')) return undefined;
  const { apdu } = message;
  if (apdu.signature.kind !== 'signed') return 'critical command without a signature';
  if (hasDefect(env, 'verify-against-any-cell')) {
    const any = state.trustAnchors.some(
      (c) =>
        c.keyUsage === 'digitalSignature' &&
        checkGbcsSignature(message.signedBytes, apdu, c.publicKey) === 'valid',
    );
    return any ? undefined : 'signature verifies against no trust anchor';
  }
  const cell = findCell(state.trustAnchors, apdu.originator, 'digitalSignature');
  if (cell === undefined) return `no trust anchor for ${apdu.originator}`;
  return checkGbcsSignature(message.signedBytes, apdu, cell.publicKey) === 'valid'
    ? undefined
    : `signature does not verify against the ${cell.role} trust anchor`;
}

/** The 'counter-advances-on-reject' defect: the stored counter moves before the command is trusted. */
function burnCounter(state: DeviceState, originator: Eui, counter: number): DeviceState {
  const last = state.lastCounters[originator] ?? -1;
  return counter > last
    ? { ...state, lastCounters: { ...state.lastCounters, [originator]: counter } }
    : state;
}

/** Power changes and the device's own timers (device-firmware.ts): no command, no authentication. */
function stepPowerOrTimer(
  state: DeviceState,
  event: Extract<DeviceEvent, { type: 'timer' | 'power' }>,
  env: DeviceEnvironment,
): DeviceStep {
  if (event.type === 'power') {
    if (event.on === state.powered) return { state, effects: [], outcome: 'noChange' };
    if (!event.on) return { state: powerLost(state, event.now), effects: [], outcome: 'powerLost' };
    const booted = powerRestored(state, event.now);
    // A held CS02b that fell due while off runs after the boot, as an overdue activation does.
    const overdue = withOutputs(runOverdueCredentials(booted.state, event.now));
    const outputs: DeviceOutputs = {
      alerts: [...booted.outputs.alerts, ...overdue.outputs.alerts],
      timers: [...booted.outputs.timers, ...overdue.outputs.timers],
    };
    const emitted = emit(overdue.state, env, event.now, outputs);
    return { state: emitted.state, effects: emitted.effects, outcome: 'powerRestored' };
  }
  const fired =
    event.timer.type === 'futureDatedCredentials'
      ? withOutputs(onCredentialsTimer(state, event.timer.seq, event.now))
      : onDeviceTimer(state, event.timer, event.now);
  if (fired.state === state) return { state, effects: [], outcome: 'staleTimer' };
  // A new image started: the device rebooted, and its own counter must survive that.
  const rebooted = fired.state.firmware.runningImageHash !== state.firmware.runningImageHash;
  const after =
    rebooted && hasDefect(env, 'counter-restarts-after-reboot')
      ? { ...fired.state, ownCounter: 0 }
      : fired.state;
  const emitted = emit(after, env, event.now, fired.outputs);
  return { state: emitted.state, effects: emitted.effects, outcome: event.timer.type };
}

function withOutputs(result: CommandResult): { state: DeviceState; outputs: DeviceOutputs } {
  return { state: result.state, outputs: result.outputs ?? NO_OUTPUTS };
}

/** Turns what the firmware logic asked for into GBCS messages and timer requests. */
function emit(
  state: DeviceState,
  env: DeviceEnvironment,
  now: number,
  outputs: DeviceOutputs,
): { state: DeviceState; effects: DeviceEffect[] } {
  let next = state;
  const effects: DeviceEffect[] = [];
  if (outputs.reply !== undefined) {
    const { recipient, messageCode, inResponseTo, body } = outputs.reply;
    const critical = deviceExecution(messageCode)?.critical ?? false;
    effects.push({
      type: 'send',
      frame: lateResponseFrame(
        next,
        env,
        now,
        { recipient, srv: messageCode, counter: inResponseTo, body },
        critical,
      ),
    });
  }
  for (const alert of outputs.alerts) {
    const sent = alertFrame(next, env, now, alert);
    if (sent === undefined) break;
    next = sent.state;
    effects.push({ type: 'send', frame: sent.frame });
  }
  for (const { at, timer } of outputs.timers) effects.push({ type: 'schedule', at, timer });
  return { state: next, effects };
}

/** Logs the rejection and raises the alert. State is otherwise untouched. */
function reject(
  state: DeviceState,
  env: DeviceEnvironment,
  now: number,
  alertCode: string,
  detail: string,
): DeviceStep {
  const logged: DeviceState = hasDefect(env, 'refusals-not-logged')
    ? state
    : { ...state, securityLog: appendLog(state.securityLog, { at: now, code: alertCode, detail }) };
  const alert = alertFrame(logged, env, now, { code: alertCode, body: { detail } });
  if (alert === undefined) return { state: logged, effects: [], outcome: alertCode };
  return { state: alert.state, effects: [{ type: 'send', frame: alert.frame }], outcome: alertCode };
}
