import type { Eui } from '../eui.js';

/**
 * What a device remembers about its firmware (DCC.md §10).
 *
 * Activation is a two-phase swap. Phase 1 stages the verified image in the inactive bank
 * (`activation` set, the old image still running); phase 2 flips the bank pointer in one step
 * (`firmwareVersion` and `runningImageHash` change together). A power loss between the phases
 * drops phase 1, so the device always runs either the old image or the new one, never between.
 */
export interface HeldImage {
  /** SHA-256 of the whole image, lower-case hex (what 11.3 names). */
  readonly hash: string;
  readonly firmwareVersion: string;
  /** Whether the image's firmware starts (see bodyBoots in firmware-signing.ts). */
  readonly boots: boolean;
  readonly receivedAt: number;
}

export interface PendingActivation {
  readonly image: HeldImage;
  readonly seq: number;
  readonly completesAt: number;
  /** Immediate 11.3: who gets the response when phase 2 is done. */
  readonly replyTo: { readonly originator: Eui; readonly counter: number } | undefined;
  readonly futureDated: boolean;
}

export interface FutureDatedActivation {
  readonly imageHash: string;
  readonly at: number;
  readonly seq: number;
  readonly originator: Eui;
  readonly counter: number;
}

export interface FirmwareState {
  /** Hash of the running image; undefined for the factory image (never distributed by 11.1). */
  readonly runningImageHash: string | undefined;
  readonly held: HeldImage | undefined;
  readonly activation: PendingActivation | undefined;
  readonly futureDated: FutureDatedActivation | undefined;
  /** Numbers timers, so one that outlived its activation (power loss) is recognised as stale. */
  readonly timerSeq: number;
}

/** What a device model says about its firmware handling (fixtures/device-models/*.yaml). */
export interface DeviceProfile {
  /** Image type the device accepts (the header's image type). */
  readonly imageType: number;
  /** Virtual time phase 1 → phase 2 takes (the reboot); 0 swaps within the command. */
  readonly activationMs: number;
  /** Largest image the device can store (transfer outcome 3 beyond it). */
  readonly maxImageBytes: number;
}

export const DEFAULT_DEVICE_PROFILE: DeviceProfile = Object.freeze({
  imageType: 1,
  activationMs: 0,
  maxImageBytes: 60 * 1024,
});

export const INITIAL_FIRMWARE_STATE: FirmwareState = Object.freeze({
  runningImageHash: undefined,
  held: undefined,
  activation: undefined,
  futureDated: undefined,
  timerSeq: 0,
});
