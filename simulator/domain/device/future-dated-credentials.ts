import { euiFromBytes } from '../eui.js';
import { GBCS_CANCELLATION_AT } from '../gbcs/payloads/asn1/der-values.js';
import type { GbcsPayload } from '../messages/gbcs-messages.js';
import { replaceCredentials } from './credential-replacement.js';
import type { DeviceDefect } from './device-defects.js';
import { logEvent, withFirmware } from './device-firmware.js';
import type { AlertOut, CommandResult, DeviceOutputs } from './device-output.js';
import type { DeviceState } from './device-state.js';
import type { HeldCredentialUpdate } from './held-credential-update.js';

/**
 * CS02b immediate, future-dated or cancelled (GBCS.md §7.8, simulator/PROTOCOL.md §5.2), as 11.3
 * is for CS06 (device-firmware.ts): a command carrying an execution date-time later than the
 * device's clock is held and answered "command accepted"; when the clock reaches it the device
 * runs it (replaceCredentials, the same checks as at once) and reports the outcome in 0x00CB,
 * 0x8F66 when every replacement succeeded, else 0x8F67, to the party that sent it. The
 * cancellation is the future-dated form at 99991231235959Z, the rule GBCS.md §7.7 gives for CS06
 * (GBCS.md §11): it removes the held command of the same mode from the same party. Pure: `now`
 * is passed in.
 */

const NONE: DeviceOutputs = Object.freeze({ alerts: [], timers: [] });

/** Every replacement of a command not carried out, as CS02b's outcome lists them: 127, other. */
function notActioned(command: GbcsPayload, reason: string): CommandResult['body'] {
  const replacements = Array.isArray(command.body.replacements)
    ? (command.body.replacements as Record<string, unknown>[])
    : [];
  return {
    status: 'failure',
    replacementMode: command.body.replacementMode,
    reason,
    results: replacements.map((r) => ({
      role: r.role,
      keyUsage: r.keyUsage,
      cellUsage: r.cellUsage ?? 'management',
      eui: typeof r.eui === 'string' ? r.eui : '',
      status: 127,
      reason,
    })),
  };
}

function executionAt(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

/** Executes an authenticated CS02b (6.15.1, 6.23): now, held for later, or a cancellation. */
export function updateCredentials(
  state: DeviceState,
  command: GbcsPayload,
  now: number,
  defect?: DeviceDefect,
): CommandResult {
  const { executionDateTime, ...body } = command.body;
  const immediate: GbcsPayload = { ...command, body };
  if (executionDateTime === undefined) return replaceCredentials(state, immediate, now, defect);
  const at = executionAt(executionDateTime);
  if (Number.isNaN(at))
    return { state, body: notActioned(immediate, 'executionDateTime is not a date-time'), outputs: NONE };
  if (at === GBCS_CANCELLATION_AT) return cancelHeld(state, immediate, now, defect);
  // A date-time already reached runs at once, as CS06 does; the DCC refuses those first (E30).
  if (at <= now || defect === 'future-dated-credentials-run-now')
    return replaceCredentials(state, immediate, now, defect);
  const seq = state.firmware.timerSeq + 1;
  const held: HeldCredentialUpdate = {
    command: immediate,
    at,
    seq,
    originator: euiFromBytes(command.originator),
    counter: command.counter,
  };
  const next = logEvent(
    { ...withFirmware(state, { timerSeq: seq }), heldCredentials: held },
    now,
    'futureDatedCommandStored',
    `CS02b ${String(body.replacementMode)} from ${held.originator} at ${new Date(at).toISOString()}`,
  );
  return {
    state: next,
    body: { status: 'commandAccepted', replacementMode: body.replacementMode },
    outputs: { alerts: [], timers: [{ at, timer: { type: 'futureDatedCredentials', seq } }] },
  };
}

/**
 * Removes the held CS02b the cancellation names: the same replacement mode from the same party
 * (trialsim's reading; GBCS.md names no other key). Nothing such held: every replacement is
 * answered 127, other, and a held command of someone else's stays (as a CS06 cancellation of
 * another image leaves the stored activation).
 */
function cancelHeld(
  state: DeviceState,
  command: GbcsPayload,
  now: number,
  defect?: DeviceDefect,
): CommandResult {
  const held = state.heldCredentials;
  const originator = euiFromBytes(command.originator);
  if (
    held === undefined ||
    held.originator !== originator ||
    held.command.body.replacementMode !== command.body.replacementMode
  ) {
    const reason = `no future-dated ${String(command.body.replacementMode)} from ${originator} to cancel`;
    return { state, body: notActioned(command, reason), outputs: NONE };
  }
  // The stale timer finds no held command with its seq and does nothing (onCredentialsTimer).
  const { heldCredentials: _cancelled, ...rest } = state;
  const next =
    defect === 'credentials-cancellation-ignored'
      ? state
      : logEvent(
          rest,
          now,
          'futureDatedCommandCancelled',
          `CS02b ${String(held.command.body.replacementMode)} at ${new Date(held.at).toISOString()} cancelled`,
        );
  return {
    state: next,
    body: { status: 'commandAccepted', replacementMode: command.body.replacementMode },
    outputs: NONE,
  };
}

/** The held CS02b's timer fired: run it if it is still the one held and the device has power. */
export function onCredentialsTimer(state: DeviceState, seq: number, now: number): CommandResult {
  const held = state.heldCredentials;
  if (held === undefined || held.seq !== seq || !state.powered)
    return { state, body: undefined, outputs: NONE };
  return runHeld(state, held, now);
}

/** Power back: a held CS02b that fell due while the device was off runs now. */
export function runOverdueCredentials(state: DeviceState, now: number): CommandResult {
  const held = state.heldCredentials;
  if (held === undefined || held.at > now) return { state, body: undefined, outputs: NONE };
  return runHeld(state, held, now);
}

function runHeld(state: DeviceState, held: HeldCredentialUpdate, now: number): CommandResult {
  const { heldCredentials: _ran, ...cleared } = state;
  // The same checks as an immediate CS02b, made now: a party replaced meanwhile fails (0x8F67).
  const ran = replaceCredentials(cleared, held.command, now);
  const body = ran.body ?? {};
  const code = body.status === 'success' ? '0x8F66' : '0x8F67';
  const logged = logEvent(ran.state, now, code, `future-dated CS02b: ${String(body.status)}`);
  const outcome: AlertOut = {
    code,
    // 0x00CB names when it ran and the command's counter (its authorising sequence number).
    body: { ...body, executionDateTime: new Date(now).toISOString(), commandCounter: held.counter },
    originator: held.originator,
    futureDatedUseCase: 'CS02b',
  };
  const earlier = ran.outputs ?? NONE;
  return {
    state: logged,
    body: undefined,
    outputs: { alerts: [...earlier.alerts, outcome], timers: earlier.timers },
  };
}
