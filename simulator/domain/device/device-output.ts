import type { Eui } from '../eui.js';
import type { DeviceState } from './device-state.js';

/**
 * What the pure device logic asks the machine to emit, as data: the machine turns these into
 * MACed GBCS frames (device-machine.ts) and timer requests for the node's clock.
 */
export type DeviceTimer =
  /** Phase 2 of an activation (the bank swap) is due: the image has been staged and verified. */
  | { readonly type: 'activationComplete'; readonly seq: number }
  /** A future-dated 11.3 reaches its execution date-time. */
  | { readonly type: 'futureDatedActivation'; readonly seq: number }
  /** A future-dated CS02b (6.15.1) reaches its execution date-time (future-dated-credentials.ts). */
  | { readonly type: 'futureDatedCredentials'; readonly seq: number };

export interface AlertOut {
  /** GBCS alert code, e.g. `0x8F43`. */
  readonly code: string;
  readonly body: Record<string, unknown>;
  /** Set when the alert is the answer to a command (e.g. the 11.1 transfer result). */
  readonly inResponseTo?: number;
  /** A future-dated outcome goes to the command's originator (GBCS.md §5.5), when known. */
  readonly originator?: Eui;
  /**
   * The use case whose future-dated outcome 0x8F66/0x8F67 reports: CS02b's travels in 0x00CB,
   * CS06's (the default) in 0x00CA (alert-routing.ts).
   */
  readonly futureDatedUseCase?: 'CS06' | 'CS02b';
}

export interface ReplyOut {
  readonly recipient: Eui;
  readonly messageCode: string;
  readonly inResponseTo: number;
  readonly body: Record<string, unknown>;
}

export interface TimerOut {
  readonly at: number;
  readonly timer: DeviceTimer;
}

export interface DeviceOutputs {
  readonly alerts: readonly AlertOut[];
  readonly timers: readonly TimerOut[];
  /** A response sent later than its command (an activation that took virtual time). */
  readonly reply?: ReplyOut;
}

export const NO_OUTPUTS: DeviceOutputs = Object.freeze({ alerts: [], timers: [] });

/** The result of executing an authenticated command: the new state and the response body. */
export interface CommandResult {
  readonly state: DeviceState;
  /** Undefined when the answer comes later or as an alert (11.1 transfer result, slow 11.3). */
  readonly body: Record<string, unknown> | undefined;
  /** Alerts, timers and late replies the command causes (firmware, above). */
  readonly outputs?: DeviceOutputs;
}
