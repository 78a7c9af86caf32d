import type { Eui } from '../eui.js';
import { toHex } from '../firmware/firmware-image.js';
import { GBCS_CANCELLATION_AT, GBCS_CANCELLATION_TIME } from '../gbcs/payloads/asn1/der-values.js';
import type { GbcsPayload } from '../messages/gbcs-messages.js';
import type { DeviceDefect } from './device-defects.js';
import type { FirmwareState, FutureDatedActivation, PendingActivation } from './device-firmware-state.js';
import type { AlertOut, DeviceOutputs, DeviceTimer, ReplyOut, TimerOut } from './device-output.js';
import { appendLog, type DeviceState } from './device-state.js';

/**
 * Firmware activation on the device (DCC.md §10 step 2): 11.3 immediate or future-dated, the
 * device's timers, and surviving a power loss in between (the two-phase swap described in
 * device-firmware-state.ts). Receiving an image (11.1) is device-firmware-transfer.ts. Pure:
 * `now` is passed in.
 */

export const FIRMWARE_ALERTS = {
  transferSuccess: '0x8F8A',
  transferFailure: '0x8F89',
  verificationSuccess: '0x8F72',
  verificationFailure: '0x8F1C',
  executingVersionChanged: '0x8F43',
  futureDatedSuccess: '0x8F66',
  futureDatedFailure: '0x8F67',
} as const;

export interface FirmwareResult {
  readonly state: DeviceState;
  /** The command's response body; undefined when the answer comes later (or as an alert). */
  readonly body: Record<string, unknown> | undefined;
  readonly outputs: DeviceOutputs;
}

export function withFirmware(state: DeviceState, firmware: Partial<FirmwareState>): DeviceState {
  return { ...state, firmware: { ...state.firmware, ...firmware } };
}

export function logEvent(state: DeviceState, now: number, code: string, detail: string): DeviceState {
  return { ...state, eventLog: appendLog(state.eventLog, { at: now, code, detail }) };
}

export function logSecurity(state: DeviceState, now: number, code: string, detail: string): DeviceState {
  return { ...state, securityLog: appendLog(state.securityLog, { at: now, code, detail }) };
}

function readHash(value: unknown): string | undefined {
  if (value instanceof Uint8Array && value.length === 32) return toHex(value);
  if (typeof value === 'string' && /^[0-9a-fA-F]{64}$/.test(value)) return value.toLowerCase();
  return undefined;
}

/**
 * Cancels the stored future-dated activation of `hash`. Nothing of that image stored: a failure
 * that says so (trialsim's decision; the GBCS answer to a cancellation of nothing is UNCONFIRMED).
 */
function cancelFutureDated(
  state: DeviceState,
  hash: string,
  now: number,
  defect?: DeviceDefect,
): FirmwareResult {
  const pending = state.firmware.futureDated;
  const none = { alerts: [], timers: [] };
  if (pending === undefined || pending.imageHash !== hash) {
    return {
      state,
      body: {
        status: 'failure',
        reason: `no future-dated activation of image ${hash} to cancel`,
        firmwareVersion: state.firmwareVersion,
      },
      outputs: none,
    };
  }
  // The stale timer finds no stored command with its seq and does nothing (onDeviceTimer).
  const next =
    defect === 'cancellation-ignored'
      ? state
      : logEvent(
          withFirmware(state, { futureDated: undefined }),
          now,
          'futureDatedCommandCancelled',
          `11.3 for image ${hash} at ${new Date(pending.at).toISOString()} cancelled`,
        );
  return {
    state: next,
    body: { status: 'commandAccepted', executionDateTime: GBCS_CANCELLATION_TIME.toISOString() },
    outputs: none,
  };
}

/** 11.3 (already authenticated, authorised and fresh): activate now, or store it for later. */
export function activateFirmware(
  state: DeviceState,
  command: GbcsPayload,
  originator: Eui,
  now: number,
  defect?: DeviceDefect,
): FirmwareResult {
  const named = readHash(command.body.imageHash);
  // The 'no-image-hash-check' defect activates whatever image is held, whatever 11.3 names.
  const hash =
    defect === 'no-image-hash-check' && named !== undefined ? (state.firmware.held?.hash ?? named) : named;
  if (hash === undefined) {
    return {
      state,
      body: {
        status: 'failure',
        reason: 'imageHash must be 32 bytes',
        firmwareVersion: state.firmwareVersion,
      },
      outputs: { alerts: [], timers: [] },
    };
  }
  const when = command.body.executionDateTime;
  if (when !== undefined) {
    const at =
      typeof when === 'string' ? Date.parse(when) : typeof when === 'number' ? when * 1000 : Number.NaN;
    if (Number.isNaN(at)) {
      return {
        state,
        body: {
          status: 'failure',
          reason: 'executionDateTime is not a date-time',
          firmwareVersion: state.firmwareVersion,
        },
        outputs: { alerts: [], timers: [] },
      };
    }
    // GBCS.md §7.7: the cancellation cancels the stored future-dated activation of the image it names.
    if (at === GBCS_CANCELLATION_AT) return cancelFutureDated(state, hash, now, defect);
    if (at > now && defect !== 'future-dated-runs-now') {
      // DCC.md §10 step 2: a future-dated command is stored and answered commandAccepted.
      const seq = state.firmware.timerSeq + 1;
      const futureDated: FutureDatedActivation = {
        imageHash: hash,
        at,
        seq,
        originator,
        counter: command.counter,
      };
      const next = logEvent(
        withFirmware(state, { futureDated, timerSeq: seq }),
        now,
        'futureDatedCommandStored',
        `11.3 for image ${hash} at ${new Date(at).toISOString()}`,
      );
      return {
        state: next,
        body: { status: 'commandAccepted', executionDateTime: new Date(at).toISOString() },
        outputs: { alerts: [], timers: [{ at, timer: { type: 'futureDatedActivation', seq } }] },
      };
    }
  }
  const started = startActivation(state, hash, now, { originator, counter: command.counter }, false);
  return started;
}

/**
 * Phase 1 (DCC.md §10 step 2): no image → noImageHeld; hash differs → hashMismatch; else the
 * image is verified (0x8F72) and staged; phase 2 follows at once or after the reboot time.
 */
function startActivation(
  state: DeviceState,
  hash: string,
  now: number,
  replyTo: PendingActivation['replyTo'],
  futureDated: boolean,
): FirmwareResult {
  const held = state.firmware.held;
  if (held === undefined || held.hash !== hash) {
    const status = held === undefined ? 'noImageHeld' : 'hashMismatch';
    let next = logEvent(state, now, status, `activation of ${hash} refused: ${status}`);
    const alerts: AlertOut[] = [];
    if (held !== undefined) {
      next = logSecurity(
        next,
        now,
        FIRMWARE_ALERTS.verificationFailure,
        `11.3 hash ${hash} ≠ held image ${held.hash}`,
      );
      alerts.push({
        code: FIRMWARE_ALERTS.verificationFailure,
        body: { imageHash: hash, heldImageHash: held.hash },
      });
    }
    return finish(
      next,
      now,
      { status, firmwareVersion: state.firmwareVersion },
      alerts,
      [],
      futureDated,
      replyTo,
    );
  }
  const seq = state.firmware.timerSeq + 1;
  const activation: PendingActivation = {
    image: held,
    seq,
    completesAt: now + state.profile.activationMs,
    replyTo,
    futureDated,
  };
  const staged = logEvent(
    withFirmware(state, { activation, timerSeq: seq }),
    now,
    FIRMWARE_ALERTS.verificationSuccess,
    `image ${held.firmwareVersion} verified and staged`,
  );
  const verified: AlertOut = {
    code: FIRMWARE_ALERTS.verificationSuccess,
    body: { imageHash: held.hash, firmwareVersion: held.firmwareVersion },
  };
  if (state.profile.activationMs <= 0) {
    const done = commitActivation(staged, activation, now);
    return { ...done, outputs: { ...done.outputs, alerts: [verified, ...done.outputs.alerts] } };
  }
  return {
    state: staged,
    body: undefined,
    outputs: {
      alerts: [verified],
      timers: [{ at: activation.completesAt, timer: { type: 'activationComplete', seq } }],
    },
  };
}

/** Phase 2: the bank swap, in one step — or a rollback if the new firmware does not start. */
function commitActivation(state: DeviceState, activation: PendingActivation, now: number): FirmwareResult {
  const cleared = withFirmware(state, { activation: undefined });
  const { image } = activation;
  if (!image.boots) {
    const next = logEvent(
      cleared,
      now,
      'activationFailure',
      `image ${image.firmwareVersion} did not start; still running ${state.firmwareVersion}`,
    );
    return finish(
      next,
      now,
      { status: 'activationFailure', firmwareVersion: state.firmwareVersion },
      [],
      [],
      activation.futureDated,
      activation.replyTo,
    );
  }
  const previousVersion = state.firmwareVersion;
  let next: DeviceState = {
    ...withFirmware(cleared, { runningImageHash: image.hash }),
    firmwareVersion: image.firmwareVersion,
  };
  const alerts: AlertOut[] = [];
  if (previousVersion !== image.firmwareVersion) {
    next = logEvent(
      next,
      now,
      FIRMWARE_ALERTS.executingVersionChanged,
      `${previousVersion} → ${image.firmwareVersion}`,
    );
    alerts.push({
      code: FIRMWARE_ALERTS.executingVersionChanged,
      body: { previousVersion, firmwareVersion: image.firmwareVersion },
    });
  }
  return finish(
    next,
    now,
    { status: 'success', firmwareVersion: image.firmwareVersion },
    alerts,
    [],
    activation.futureDated,
    activation.replyTo,
  );
}

/**
 * Delivers an activation's result: the 11.3 response body (immediate), a later response
 * (immediate but slow), or alert 0x8F66 / 0x8F67 (future-dated).
 */
function finish(
  state: DeviceState,
  now: number,
  result: Record<string, unknown>,
  alerts: AlertOut[],
  timers: TimerOut[],
  futureDated: boolean,
  replyTo?: PendingActivation['replyTo'],
): FirmwareResult {
  if (futureDated) {
    const code =
      result.status === 'success' ? FIRMWARE_ALERTS.futureDatedSuccess : FIRMWARE_ALERTS.futureDatedFailure;
    const logged = logEvent(state, now, code, `future-dated 11.3: ${String(result.status)}`);
    // GBCS's 0x00CA names the future-dated command by its counter and when it was executed.
    const about = {
      executionDateTime: new Date(now).toISOString(),
      ...(replyTo === undefined ? {} : { commandCounter: replyTo.counter }),
    };
    return {
      state: logged,
      body: undefined,
      outputs: { alerts: [...alerts, { code, body: { ...result, ...about } }], timers },
    };
  }
  if (replyTo !== undefined && state.profile.activationMs > 0) {
    const reply: ReplyOut = {
      recipient: replyTo.originator,
      messageCode: '11.3',
      inResponseTo: replyTo.counter,
      body: result,
    };
    return { state, body: undefined, outputs: { alerts, timers, reply } };
  }
  return { state, body: result, outputs: { alerts, timers } };
}

/** A device timer fires. Stale timers (their activation lost to a power cut) do nothing. */
export function onDeviceTimer(state: DeviceState, timer: DeviceTimer, now: number): FirmwareResult {
  const idle: FirmwareResult = { state, body: undefined, outputs: { alerts: [], timers: [] } };
  if (timer.type === 'activationComplete') {
    const activation = state.firmware.activation;
    if (activation === undefined || activation.seq !== timer.seq || !state.powered) return idle;
    return commitActivation(state, activation, now);
  }
  const stored = state.firmware.futureDated;
  if (stored === undefined || stored.seq !== timer.seq || !state.powered) return idle;
  return runFutureDated(state, stored, now);
}

function runFutureDated(state: DeviceState, stored: FutureDatedActivation, now: number): FirmwareResult {
  const cleared = withFirmware(state, { futureDated: undefined });
  // The stored command's originator and counter ride along: its outcome alert (0x00CA) names the counter.
  return startActivation(
    cleared,
    stored.imageHash,
    now,
    { originator: stored.originator, counter: stored.counter },
    true,
  );
}

/** Power lost: phase 1 of an activation is dropped, so the old image stays the running one. */
export function powerLost(state: DeviceState, now: number): DeviceState {
  let next: DeviceState = { ...state, powered: false };
  const activation = state.firmware.activation;
  if (activation !== undefined) {
    next = logEvent(
      withFirmware(next, { activation: undefined }),
      now,
      'activationInterrupted',
      `power lost while activating ${activation.image.firmwareVersion}; ${state.firmwareVersion} stays in the active bank`,
    );
  }
  return logEvent(next, now, 'powerLost', `running ${state.firmwareVersion}`);
}

/** Power back: boot the active bank; run a future-dated activation that fell due while off. */
export function powerRestored(state: DeviceState, now: number): FirmwareResult {
  const booted = logEvent(
    { ...state, powered: true },
    now,
    'powerRestored',
    `booted ${state.firmwareVersion}`,
  );
  const stored = booted.firmware.futureDated;
  if (stored !== undefined && stored.at <= now) return runFutureDated(booted, stored, now);
  return { state: booted, body: undefined, outputs: { alerts: [], timers: [] } };
}
