import type { Eui } from '../eui.js';

/**
 * What the pure device logic asks the machine to emit, as data: the machine turns these into
 * MACed GBCS frames (device-machine.ts) and timer requests for the node's clock.
 */
export type DeviceTimer =
  /** Phase 2 of an activation (the bank swap) is due: the image has been staged and verified. */
  | { readonly type: 'activationComplete'; readonly seq: number }
  /** A future-dated 11.3 reaches its execution date-time. */
  | { readonly type: 'futureDatedActivation'; readonly seq: number };

export interface AlertOut {
  /** GBCS alert code, e.g. `0x8F43`. */
  readonly code: string;
  readonly body: Record<string, unknown>;
  /** Set when the alert is the answer to a command (e.g. the 11.1 transfer result). */
  readonly inResponseTo?: number;
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
