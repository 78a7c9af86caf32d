import { type Eui, euiFromBytes, parseEui } from '../eui.js';
import type { GbcsPayload } from '../messages/gbcs-messages.js';
import { replaceCredentials } from './credential-replacement.js';
import type { DeviceDefect } from './device-defects.js';
import { activateFirmware } from './device-firmware.js';
import { receiveImage } from './device-firmware-transfer.js';
import type { CommandResult } from './device-output.js';
import { appendLog, type DeviceState } from './device-state.js';

type CommandHandler = (
  state: DeviceState,
  command: GbcsPayload,
  now: number,
  defect?: DeviceDefect,
) => CommandResult;

/** Average load behind the meter, so registers advance with virtual time (4.1.1). */
const DEFAULT_LOAD_W = 400;

function advanceRegisters(state: DeviceState, now: number): DeviceState {
  if (now <= state.registerAt) return state;
  const wh = ((now - state.registerAt) / 3_600_000) * DEFAULT_LOAD_W;
  return { ...state, importRegisterWh: state.importRegisterWh + wh, registerAt: now };
}

const handlers: Readonly<Record<string, CommandHandler>> = {
  '6.15.1': replaceCredentials,
  '6.23': replaceCredentials,
  '8.1.1': (state, _command, now) => ({
    state: {
      ...state,
      lifecycle: 'commissioned',
      registerAt: now,
      eventLog: appendLog(state.eventLog, { at: now, code: '0x8F69', detail: 'device commissioned' }),
    },
    body: { status: 'success' },
  }),
  '11.2': (state) => ({ state, body: { status: 'success', firmwareVersion: state.firmwareVersion } }),
  '4.1.1': (state, _command, now) => {
    const next = advanceRegisters(state, now);
    return { state: next, body: { status: 'success', importRegisterWh: Math.floor(next.importRegisterWh) } };
  },
  '8.11': (state, command) => {
    const target = readEui(command.body.deviceId);
    if (state.identity.deviceType !== 'CHF' || target === undefined) {
      return { state, body: { status: 'failure', reason: 'not a CHF, or no valid deviceId' } };
    }
    const without = state.deviceLog.filter((eui) => eui !== target);
    const deviceLog = command.body.action === 'remove' ? without : [...without, target];
    return { state: { ...state, deviceLog }, body: { status: 'success', deviceLog } };
  },
  '11.1': (state, command, now, defect) => receiveImage(state, command, now, defect),
  '11.3': (state, command, now, defect) =>
    activateFirmware(state, command, euiFromBytes(command.originator), now, defect),
  // 8.3 is a non-device SR; the DCC then tells the device (firmware-distribution.ts, decommission).
  '8.3': (state, _command, now) => ({
    state: {
      ...state,
      lifecycle: 'decommissioned',
      eventLog: appendLog(state.eventLog, {
        at: now,
        code: 'decommissioned',
        detail: '8.3 Decommission Device',
      }),
    },
    body: { status: 'success' },
  }),
  '8.9': (state) => ({ state, body: { status: 'success', deviceLog: state.deviceLog } }),
  '6.13': (state, command) => ({
    state,
    body: {
      status: 'success',
      log: command.body.log === 'security' ? state.securityLog : state.eventLog,
    },
  }),
};

function readEui(value: unknown): Eui | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parseEui(value);
  } catch {
    return undefined;
  }
}

export function isImplementedCommand(messageCode: string): boolean {
  return messageCode in handlers;
}

export function executeCommand(
  state: DeviceState,
  command: GbcsPayload,
  now: number,
  defect?: DeviceDefect,
): CommandResult {
  const handler = handlers[command.messageCode];
  if (handler === undefined) {
    return { state, body: { status: 'failure', reason: `command ${command.messageCode} not supported` } };
  }
  if (state.lifecycle === 'decommissioned' && defect !== 'decommissioned-still-executes') {
    return { state, body: { status: 'failure', reason: 'device is decommissioned' } };
  }
  return handler(state, command, now, defect);
}
