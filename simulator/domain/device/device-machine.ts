import { verifySignature } from '../../pki/key-pair.js';
import type { GbcsCodec } from '../../ports/gbcs-codec.js';
import { type Eui, euiFromBytes, euiToBytes } from '../eui.js';
import { checkMac, macFor } from '../gbcs/protection/protect.js';
import type { SharedSecretSource } from '../gbcs/protection/shared-secret-cache.js';
import type { GbcsFrame, GbcsPayload } from '../messages/gbcs-messages.js';
import { COMMAND_AUTHORITY, CRITICAL_COMMANDS } from './command-authority.js';
import { executeCommand } from './device-commands.js';
import { appendLog, type DeviceState } from './device-state.js';
import { cellFor, findCell } from './trust-anchors.js';

/**
 * The SMETS2 device as a pure step function: (state, event) → (state, effects). No I/O, no
 * clock reads: `now` comes with the event. A rejected command returns the same state object
 * apart from the security log, which is what the property tests check.
 */
export type DeviceEvent =
  | { readonly type: 'frame'; readonly frame: GbcsFrame; readonly now: number }
  | { readonly type: 'malformed'; readonly detail: string; readonly now: number };

export type DeviceEffect = { readonly type: 'send'; readonly frame: GbcsFrame };

export interface DeviceStep {
  readonly state: DeviceState;
  readonly effects: readonly DeviceEffect[];
  /** What happened, for traces and tests: `executed`, or the GBCS alert code of a rejection. */
  readonly outcome: string;
}

export interface DeviceEnvironment {
  readonly codec: GbcsCodec;
  readonly secrets?: SharedSecretSource;
}

/** GBCS alert codes a device raises when it refuses a command (DCC.md §3). */
export const DEVICE_REJECTIONS = {
  authenticationFailure: '0x8F3D',
  unauthorisedAccess: '0x8F3E',
  noAuthority: '0x8F30',
  integrityFailure: '0x8F1E',
} as const;

export function stepDevice(state: DeviceState, event: DeviceEvent, env: DeviceEnvironment): DeviceStep {
  if (event.type === 'malformed') {
    return reject(state, env, event.now, DEVICE_REJECTIONS.integrityFailure, event.detail, undefined);
  }
  let command: GbcsPayload;
  try {
    command = env.codec.decodePayload(event.frame.payload);
  } catch (err) {
    return reject(
      state,
      env,
      event.now,
      DEVICE_REJECTIONS.integrityFailure,
      (err as Error).message,
      undefined,
    );
  }
  if (command.cra !== 1 || euiFromBytes(command.recipient) !== state.identity.eui) {
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
  const critical = CRITICAL_COMMANDS.has(command.messageCode);

  // 1. Trusted source: a critical command must verify against the originator's DS cell; any
  //    other command against the ACB's KA cell (the DCC's Access Control Broker MACs it).
  const authentic = critical
    ? verifyCritical(state, originator, event.frame)
    : verifyNonCritical(state, command, event.frame, env);
  if (!authentic.ok) {
    return reject(state, env, event.now, DEVICE_REJECTIONS.authenticationFailure, authentic.detail, command);
  }

  // 2. Authority: the party is known, but may it send this command?
  const sourceCell = findCell(state.trustAnchors, originator, critical ? 'digitalSignature' : 'keyAgreement');
  const allowed = COMMAND_AUTHORITY[command.messageCode] ?? [];
  if (sourceCell === undefined || !allowed.includes(sourceCell.role)) {
    return reject(
      state,
      env,
      event.now,
      DEVICE_REJECTIONS.noAuthority,
      `${originator} (${sourceCell?.role ?? 'unknown party'}) may not send ${command.messageCode}`,
      command,
    );
  }

  // 3. Anti-replay (DCC.md §8): strictly greater than the last counter accepted from this party.
  const last = state.lastCounters[originator] ?? -1;
  if (command.counter <= last) {
    return reject(
      state,
      env,
      event.now,
      DEVICE_REJECTIONS.unauthorisedAccess,
      `replayed or old counter ${command.counter} from ${originator} (last accepted ${last})`,
      command,
    );
  }

  const accepted: DeviceState = {
    ...state,
    lastCounters: { ...state.lastCounters, [originator]: command.counter },
  };
  const result = executeCommand(accepted, command, event.now);
  const response = respond(result.state, env, event.now, originator, command, result.body);
  return { state: response.state, effects: [{ type: 'send', frame: response.frame }], outcome: 'executed' };
}

function verifyCritical(
  state: DeviceState,
  originator: Eui,
  frame: GbcsFrame,
): { ok: boolean; detail: string } {
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
  const counter = state.ownCounter + 1;
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
