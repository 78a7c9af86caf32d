import type { Eui } from '../eui.js';
import {
  DEFAULT_DEVICE_PROFILE,
  type DeviceProfile,
  type FirmwareState,
  INITIAL_FIRMWARE_STATE,
} from './device-firmware-state.js';
import type { DeviceType } from './device-types.js';
import type { HeldCredentialUpdate } from './held-credential-update.js';
import type { TrustAnchorCell } from './trust-anchors.js';

export interface DeviceIdentity {
  readonly eui: Eui;
  readonly deviceType: DeviceType;
  readonly manufacturer: string;
  readonly model: string;
  readonly hardwareVersion: string;
}

export interface DeviceKeys {
  /** The device's own key-agreement private key (MACs on responses and alerts). */
  readonly kaPrivate: Uint8Array;
  /** The device's own digital-signature private key (critical responses and alerts, GBCS DF). */
  readonly dsPrivate: Uint8Array;
  /** The manufacturer's image-signing public key, installed at manufacture (FIRMWARE-IMAGE.md). */
  readonly manufacturerPublic?: Uint8Array;
}

export interface LogEntry {
  readonly at: number;
  /** A GBCS alert code (`0x8F3D`) or event name. */
  readonly code: string;
  readonly detail: string;
}

export type DeviceLifecycle = 'new' | 'commissioned' | 'decommissioned';

/** Everything a simulated device remembers. Immutable: the machine returns a new state. */
export interface DeviceState {
  readonly identity: DeviceIdentity;
  readonly keys: DeviceKeys;
  readonly firmwareVersion: string;
  readonly lifecycle: DeviceLifecycle;
  readonly trustAnchors: readonly TrustAnchorCell[];
  /** Per remote party EUI: the last originator counter accepted (anti-replay, DCC.md §8). */
  readonly lastCounters: Readonly<Record<string, number>>;
  /** Per remote party EUI: the lowest counter accepted, set by credential replacement (DCC.md §8). */
  readonly counterFloors: Readonly<Record<string, number>>;
  /** The device's own originator counter for responses and alerts. */
  readonly ownCounter: number;
  /** CHF only: the HAN devices whitelisted on this comms hub (8.11 / 8.9). */
  readonly deviceLog: readonly Eui[];
  readonly eventLog: readonly LogEntry[];
  readonly securityLog: readonly LogEntry[];
  /** Active import register, Wh, and the virtual instant it was last advanced to. */
  readonly importRegisterWh: number;
  readonly registerAt: number;
  /** Firmware banks, held image, staged or future-dated activation (device-firmware.ts). */
  readonly firmware: FirmwareState;
  /** A future-dated CS02b accepted and held until its execution date-time (future-dated-credentials.ts). */
  readonly heldCredentials?: HeldCredentialUpdate;
  /** Off: the device hears nothing and says nothing (power-loss rehearsal). */
  readonly powered: boolean;
  readonly profile: DeviceProfile;
}

/** Logs keep their newest entries only: a device has finite memory, and so do 100k of them. */
export const LOG_CAPACITY = 100;

export function appendLog(log: readonly LogEntry[], entry: LogEntry): readonly LogEntry[] {
  const next = [...log, entry];
  return next.length > LOG_CAPACITY ? next.slice(next.length - LOG_CAPACITY) : next;
}

export interface NewDeviceOptions {
  readonly identity: DeviceIdentity;
  readonly keys: DeviceKeys;
  readonly firmwareVersion: string;
  readonly trustAnchors: readonly TrustAnchorCell[];
  readonly now: number;
  readonly profile?: Partial<DeviceProfile>;
}

export function newDeviceState(options: NewDeviceOptions): DeviceState {
  return {
    identity: options.identity,
    keys: options.keys,
    firmwareVersion: options.firmwareVersion,
    lifecycle: 'new',
    trustAnchors: options.trustAnchors,
    lastCounters: {},
    counterFloors: {},
    ownCounter: 0,
    deviceLog: [],
    eventLog: [],
    securityLog: [],
    importRegisterWh: 0,
    registerAt: options.now,
    firmware: INITIAL_FIRMWARE_STATE,
    powered: true,
    profile: { ...DEFAULT_DEVICE_PROFILE, ...options.profile },
  };
}
