import type { GbcsCodec } from '../../ports/gbcs-codec.js';
import { type Eui, euiFromBytes, euiToBytes } from '../eui.js';
import { checkMac, macFor } from '../gbcs/protection/protect.js';
import type { SharedSecretSource } from '../gbcs/protection/shared-secret-cache.js';
import type { GbcsFrame, GbcsPayload } from '../messages/gbcs-messages.js';
import { deviceExecution } from '../services/service-catalogue.js';
import { verifySignature } from '../smki/key-pair.js';
import { executeCommand } from './device-commands.js';
import { type DeviceDefect, hasDefect } from './device-defects.js';
import { onDeviceTimer, powerLost, powerRestored } from './device-firmware.js';
import { type DeviceOutputs, type DeviceTimer, NO_OUTPUTS } from './device-output.js';
import { appendLog, type DeviceState } from './device-state.js';
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
  readonly codec: GbcsCodec;
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
    return reject(state, env, event.now, DEVICE_REJECTIONS.integrityFailure, event.detail, undefined);
  }
  let command: GbcsPayload;
  try {
    command = env.codec.decodePayload(event.frame.payload);
  } catch (err) {
    if (hasDefect(env, 'no-alert-on-malformed')) return { state, effects: [], outcome: 'ignored' };
    return reject(
      state,
      env,
      event.now,
      DEVICE_REJECTIONS.integrityFailure,
      (err as Error).message,
      undefined,
    );
  }
  const forOther =
    euiFromBytes(command.recipient) !== state.identity.eui && !hasDefect(env, 'ignore-recipient');
  if (command.cra !== 1 || forOther) {
    return reject(
      state,
      env,
      event.now,
      DEVICE_REJECTIONS.integrityFailure,
      'not a command for this device',
      command,
    );
  }
  const originator = euiFromBytes(command.originator);
  const execution = deviceExecution(command.messageCode);
  const critical = execution?.critical ?? false;

  // 1. Trusted source: a critical command must verify against the originator's DS cell; any
  //    other command against the ACB's KA cell (the DCC's Access Control Broker MACs it).
  const authentic = critical
    ? verifyCritical(state, originator, event.frame, env)
    : verifyNonCritical(state, command, event.frame, env);
  if (!authentic.ok) {
    const burnt = hasDefect(env, 'counter-advances-on-reject')
      ? burnCounter(state, originator, command.counter)
      : state;
    return reject(burnt, env, event.now, DEVICE_REJECTIONS.authenticationFailure, authentic.detail, command);
  }

  // 2. Authority: the party is known, but may it send this command?
  const sourceCell = findCell(state.trustAnchors, originator, critical ? 'digitalSignature' : 'keyAgreement');
  const allowed = execution?.authority ?? [];
  const unknownAllowed = sourceCell === undefined && hasDefect(env, 'no-originator-check');
  const roleAllowed =
    sourceCell !== undefined && (allowed.includes(sourceCell.role) || hasDefect(env, 'no-role-check'));
  if (!unknownAllowed && !roleAllowed) {
    return reject(
      state,
      env,
      event.now,
      DEVICE_REJECTIONS.noAuthority,
      `${originator} (${sourceCell?.role ?? 'unknown party'}) may not send ${command.messageCode}`,
      command,
    );
  }

  // 3. Anti-replay (DCC.md §8): strictly greater than the last counter accepted from this party,
  //    and at least the floor its credentials were installed with (CS02b, credential-replacement.ts).
  const last = state.lastCounters[originator] ?? -1;
  const floor = state.counterFloors[originator] ?? 0;
  const replayed = hasDefect(env, 'accept-replay') ? command.counter < last : command.counter <= last;
  const belowFloor = command.counter < floor && !hasDefect(env, 'ignore-counter-floor');
  if (replayed || belowFloor) {
    return reject(
      state,
      env,
      event.now,
      DEVICE_REJECTIONS.unauthorisedAccess,
      `replayed or old counter ${command.counter} from ${originator} (last accepted ${last}, floor ${floor})`,
      command,
    );
  }

  const accepted: DeviceState = {
    ...state,
    lastCounters: { ...state.lastCounters, [originator]: command.counter },
  };
  const result = executeCommand(accepted, command, event.now, env.defect);
  let next = result.state;
  const effects: DeviceEffect[] = [];
  if (result.body !== undefined) {
    const response = respond(next, env, event.now, originator, command, result.body);
    next = response.state;
    effects.push({ type: 'send', frame: response.frame });
    if (hasDefect(env, 'answer-twice')) effects.push({ type: 'send', frame: response.frame });
  }
  const emitted = emit(next, env, event.now, result.outputs ?? NO_OUTPUTS);
  return { state: emitted.state, effects: [...effects, ...emitted.effects], outcome: 'executed' };
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
    const restored = powerRestored(state, event.now);
    const emitted = emit(restored.state, env, event.now, restored.outputs);
    return { state: emitted.state, effects: emitted.effects, outcome: 'powerRestored' };
  }
  const fired = onDeviceTimer(state, event.timer, event.now);
  if (fired.state === state) return { state, effects: [], outcome: 'staleTimer' };
  const emitted = emit(fired.state, env, event.now, fired.outputs);
  return { state: emitted.state, effects: emitted.effects, outcome: event.timer.type };
}

/** Turns what the firmware logic asked for into MACed frames and timer requests. */
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
    const reply = protect(next, env, now, recipient, 2, messageCode, inResponseTo, body);
    next = reply.state;
    effects.push({ type: 'send', frame: reply.frame });
  }
  const acb = cellFor(state.trustAnchors, 'accessControlBroker', 'keyAgreement');
  for (const alert of outputs.alerts) {
    if (acb === undefined) break;
    const sent = protect(next, env, now, acb.eui, 3, alert.code, alert.inResponseTo, alert.body);
    next = sent.state;
    effects.push({ type: 'send', frame: sent.frame });
  }
  for (const { at, timer } of outputs.timers) effects.push({ type: 'schedule', at, timer });
  return { state: next, effects };
}

function verifyCritical(
  state: DeviceState,
  originator: Eui,
  frame: GbcsFrame,
  env: DeviceEnvironment,
): { ok: boolean; detail: string } {
  if (hasDefect(env, 'no-signature-check')) return { ok: true, detail: '' };
  if (hasDefect(env, 'verify-against-any-cell')) {
    const signature = frame.signature;
    const any = state.trustAnchors.some(
      (c) =>
        c.keyUsage === 'digitalSignature' &&
        signature !== undefined &&
        verifySignature(frame.payload, signature, c.publicKey),
    );
    return { ok: any, detail: any ? '' : 'signature verifies against no trust anchor' };
  }
  const cell = findCell(state.trustAnchors, originator, 'digitalSignature');
  if (cell === undefined) return { ok: false, detail: `no trust anchor for ${originator}` };
  if (frame.signature === undefined) return { ok: false, detail: 'critical command without a signature' };
  if (!verifySignature(frame.payload, frame.signature, cell.publicKey)) {
    return { ok: false, detail: `signature does not verify against the ${cell.role} trust anchor` };
  }
  return { ok: true, detail: '' };
}

function verifyNonCritical(
  state: DeviceState,
  command: GbcsPayload,
  frame: GbcsFrame,
  env: DeviceEnvironment,
): { ok: boolean; detail: string } {
  if (hasDefect(env, 'no-mac-check-non-critical')) return { ok: true, detail: '' };
  const acb = cellFor(state.trustAnchors, 'accessControlBroker', 'keyAgreement');
  if (acb === undefined) return { ok: false, detail: 'no ACB trust anchor' };
  if (frame.mac === undefined) return { ok: false, detail: 'non-critical command without a MAC' };
  const context = {
    originator: euiFromBytes(command.originator),
    recipient: state.identity.eui,
    kind: 'command' as const,
    counter: BigInt(command.counter),
  };
  if (!checkMac(state.keys.kaPrivate, acb.publicKey, context, frame.payload, frame.mac, env.secrets)) {
    return { ok: false, detail: 'MAC does not verify against the ACB trust anchor' };
  }
  return { ok: true, detail: '' };
}

/** Builds a MACed response (cra 2) to the command's originator. */
function respond(
  state: DeviceState,
  env: DeviceEnvironment,
  now: number,
  recipient: Eui,
  command: GbcsPayload,
  body: Record<string, unknown>,
): { state: DeviceState; frame: GbcsFrame } {
  return protect(state, env, now, recipient, 2, command.messageCode, command.counter, body);
}

/** Logs the rejection and raises the alert (cra 3) to the DCC's ACB. State is otherwise untouched. */
function reject(
  state: DeviceState,
  env: DeviceEnvironment,
  now: number,
  alertCode: string,
  detail: string,
  command: GbcsPayload | undefined,
): DeviceStep {
  const logged: DeviceState = {
    ...state,
    securityLog: appendLog(state.securityLog, { at: now, code: alertCode, detail }),
  };
  const acb = cellFor(state.trustAnchors, 'accessControlBroker', 'keyAgreement');
  if (acb === undefined) return { state: logged, effects: [], outcome: alertCode };
  const body: Record<string, unknown> = { detail };
  if (command !== undefined) body.originator = euiFromBytes(command.originator);
  const alert = protect(logged, env, now, acb.eui, 3, alertCode, command?.counter, body);
  return { state: alert.state, effects: [{ type: 'send', frame: alert.frame }], outcome: alertCode };
}

function protect(
  state: DeviceState,
  env: DeviceEnvironment,
  now: number,
  recipient: Eui,
  cra: 2 | 3,
  messageCode: string,
  inResponseTo: number | undefined,
  body: Record<string, unknown>,
): { state: DeviceState; frame: GbcsFrame } {
  const counter = hasDefect(env, 'constant-counter') ? 1 : state.ownCounter + 1;
  const payload: GbcsPayload = {
    cra,
    originator: euiToBytes(state.identity.eui),
    recipient: euiToBytes(recipient),
    counter,
    dateTime: Math.floor(now / 1000),
    messageCode,
    ...(inResponseTo === undefined ? {} : { inResponseTo }),
    body,
  };
  const bytes = env.codec.encodePayload(payload);
  const peer = findCell(state.trustAnchors, recipient, 'keyAgreement');
  const frame: GbcsFrame = { payload: bytes };
  if (peer !== undefined) {
    const context = {
      originator: state.identity.eui,
      recipient,
      kind: cra === 2 ? ('response' as const) : ('alert' as const),
      counter: BigInt(counter),
    };
    frame.mac = macFor(state.keys.kaPrivate, peer.publicKey, context, bytes, env.secrets);
  }
  return { state: { ...state, ownCounter: counter }, frame };
}

/** The 'counter-advances-on-reject' defect: the stored counter moves before the command is trusted. */
function burnCounter(state: DeviceState, originator: Eui, counter: number): DeviceState {
  const last = state.lastCounters[originator] ?? -1;
  return counter > last
    ? { ...state, lastCounters: { ...state.lastCounters, [originator]: counter } }
    : state;
}
