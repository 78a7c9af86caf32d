import type { GbcsPayload } from '../messages/gbcs-messages.js';
import { deviceExecution } from '../services/service-catalogue.js';
import type { DeviceDefect } from './device-defects.js';
import type { CommandResult } from './device-output.js';
import type { DeviceState } from './device-state.js';

export type { CommandResult } from './device-output.js';

/**
 * Runs an authenticated, authorised and fresh command: what it does is its service's module
 * (services/); a command no module executes, or any command on a decommissioned device, is
 * answered with a failure.
 */
export function executeCommand(
  state: DeviceState,
  command: GbcsPayload,
  now: number,
  defect?: DeviceDefect,
): CommandResult {
  const execution = deviceExecution(command.messageCode);
  if (execution === undefined) {
    return { state, body: { status: 'failure', reason: `command ${command.messageCode} not supported` } };
  }
  if (state.lifecycle === 'decommissioned' && defect !== 'decommissioned-still-executes') {
    return { state, body: { status: 'failure', reason: 'device is decommissioned' } };
  }
  return execution.execute(state, command, now, defect);
}
