import type { CplEntry } from '../cpl/cpl-entry.js';
import type { UserRole } from '../duis/user-roles.js';
import type { Eui } from '../eui.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { Trial } from '../trial/trial.js';

/** A DCC User as the DCC knows it (its SMKI KA certificate gives `kaPublic`). */
export interface DccUser {
  readonly eui: Eui;
  readonly name: string;
  readonly role: UserRole;
  status: 'active' | 'suspended';
  /** Highest RequestID counter accepted from this user (DUIS: strictly increasing). */
  lastCounter: number;
}

/** Device certificates the DCC holds in its SMKI repository copy. */
export interface SmkiDeviceEntry {
  readonly kaPublic: Uint8Array;
}

export interface DccConfig {
  readonly dccEui: Eui;
  /** The Access Control Broker: it MACs every non-critical command (DCC.md §1, §8). */
  readonly acbEui: Eui;
  readonly acbKaPrivate: Uint8Array;
  /** How long the DCC waits for a device before answering E21. */
  readonly responseTimeoutMs: number;
}

/** A CV 4 transform waiting for the User's signed CV 5. */
export interface PendingTransform {
  readonly user: Eui;
  readonly srv: string;
  readonly device: Eui;
  readonly preCommand: Uint8Array;
  readonly requestedAt: number;
}

/** A command sent to a device and not yet answered (I99 given, I0/E21/alert to come). */
export interface PendingCommand {
  readonly requestId: string;
  readonly user: Eui;
  readonly srv: string;
  readonly device: Eui;
  readonly requestedAt: number;
  readonly body: Record<string, unknown>;
  readonly trialReservation: string | undefined;
}

/** Every service request ends in one of these: the DCC's record for OPR and for the evidence. */
export interface SrOutcome {
  readonly requestId: string;
  readonly user: Eui;
  readonly srv: string;
  readonly device: Eui | undefined;
  /** A DUIS response code, or the GBCS alert code of a device that refused the command. */
  readonly outcome: string;
  readonly rule: string | undefined;
  readonly requestedAt: number;
  readonly completedAt: number;
  /** True if the device was a trial device when the SR completed: excluded from OPR figures. */
  readonly trialDevice: boolean;
}

export interface DccState {
  readonly config: DccConfig;
  readonly users: Map<Eui, DccUser>;
  readonly smki: Map<Eui, SmkiDeviceEntry>;
  readonly smi: Map<Eui, SmiRecord>;
  readonly cpl: CplEntry[];
  readonly trials: Map<string, Trial>;
  readonly transforms: Map<string, PendingTransform>;
  /** Keyed `deviceEUI:counter`: the device answers with the command's counter. */
  readonly pending: Map<string, PendingCommand>;
  readonly outcomes: SrOutcome[];
}

export function newDccState(config: DccConfig): DccState {
  return {
    config,
    users: new Map(),
    smki: new Map(),
    smi: new Map(),
    cpl: [],
    trials: new Map(),
    transforms: new Map(),
    pending: new Map(),
    outcomes: [],
  };
}

export function pendingKey(device: Eui, counter: number): string {
  return `${device}:${counter}`;
}
