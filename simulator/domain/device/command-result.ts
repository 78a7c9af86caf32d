import type { DeviceOutputs } from './device-output.js';
import type { DeviceState } from './device-state.js';

/** The result of executing an authenticated command: the new state and the response body. */
export interface CommandResult {
  readonly state: DeviceState;
  /** Undefined when the answer comes later or as an alert (11.1 transfer result, slow 11.3). */
  readonly body: Record<string, unknown> | undefined;
  /** Alerts, timers and late replies the command causes (firmware, device-output.ts). */
  readonly outputs?: DeviceOutputs;
}
