import type { CplEntry } from '../cpl/cpl-entry.js';
import type { UserRole } from '../duis/user-roles.js';
import type { Eui } from '../eui.js';
import type { GeneralSigningApdu } from '../gbcs/apdu/general-signing.js';
import type { ServiceRequest } from '../messages/duis-messages.js';
import { DEFAULT_POLICY_VALUES, type PolicyValues } from '../policy/policy-settings.js';
import { newRegistrationData, type RegistrationData } from '../registration/registration.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { RemotePartyRole } from '../smki/remote-party-roles.js';
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
  /** The device's DS key: it signs critical responses and critical alerts (GBCS `DF`). */
  readonly dsPublic: Uint8Array;
}

export interface DccConfig {
  readonly dccEui: Eui;
  /** The Access Control Broker: it MACs every non-critical command (DCC.md §1, §8). */
  readonly acbEui: Eui;
  readonly acbKaPrivate: Uint8Array;
  /** How long the DCC waits for a device before answering E21. */
  readonly responseTimeoutMs: number;
  /** The DCC's CoS party: it signs the CS02b `supplierByTransCoS` replacement for 6.23 (DCC.md §9). */
  readonly cosEui?: Eui;
  readonly cosDsPrivate?: Uint8Array;
}

/** An organisation's certificates in the DCC's SMKI repository copy (6.23 checks them). */
export interface SmkiOrganisationEntry {
  readonly eui: Eui;
  readonly role: RemotePartyRole;
  readonly ds: SmkiCertificateEntry;
  readonly ka: SmkiCertificateEntry;
  /** The CA certificates (DER) between these certificates and the root: a CS02b's certification path. */
  readonly certificationPath: readonly Uint8Array[];
}

/** One certificate of the repository: CS02b embeds it whole (GBCS.md §7.8). */
export interface SmkiCertificateEntry {
  readonly serialNumber: string;
  readonly publicKey: Uint8Array;
  /** The X.509 certificate, DER. */
  readonly certificate: Uint8Array;
}

/** A CV 4 transform waiting for the User's signed CV 5. */
export interface PendingTransform {
  readonly user: Eui;
  readonly srv: string;
  readonly device: Eui;
  /** The command as the DCC built it (signature field `00`) and its Pre-Command bytes. */
  readonly command: GeneralSigningApdu;
  readonly preCommand: Uint8Array;
  readonly body: Record<string, unknown>;
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
  /** The trial it was on, so OPR can honour that trial's `excludeFromOpr` (TRIALS.md). */
  readonly trialId?: string | undefined;
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
  /** Which supplier / network operator is registered for each device from when (registration/registration.ts). */
  readonly registration: RegistrationData;
  readonly smkiOrganisations: Map<Eui, SmkiOrganisationEntry>;
  /** The CoS party's GBCS originator counter (strictly increasing, DCC.md §8). */
  cosCounter: number;
  /** The ACB's own GBCS originator counter, for ACB-form commands (strictly increasing). */
  acbCounter: number;
  /** The policy settings in force for the run (simulator/domain/policy/policy-settings.ts). */
  policy: PolicyValues;
  /**
   * Images 11.1 distributed, by manufacturer image hash: how 11.3 (which names only the hash)
   * knows which firmware version it would activate, to screen it against the CPL.
   */
  readonly distributedImages: Map<string, DistributedImage>;
  /** The body of an 11.3 transformed at CV 4, kept for its CV 5 (screened again there). */
  readonly activationRequests: Map<string, Record<string, unknown>>;
  /** Future-dated 6.23s held until their execution date-time, by RequestID (change-of-supplier.ts). */
  readonly futureDatedCoS: Map<string, HeldChangeOfSupplier>;
}

/** A future-dated 6.23, accepted (I99) and held until it executes. */
export interface HeldChangeOfSupplier {
  readonly user: Eui;
  readonly device: Eui;
  readonly request: ServiceRequest;
  readonly body: Record<string, unknown>;
  readonly heldAt: number;
  readonly at: number;
}

export interface DistributedImage {
  readonly manufacturer: string;
  readonly firmwareVersion: string;
  readonly hardwareVersions: readonly string[];
}

export function newDccState(config: DccConfig, policy: PolicyValues = DEFAULT_POLICY_VALUES): DccState {
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
    registration: newRegistrationData(),
    smkiOrganisations: new Map(),
    cosCounter: 0,
    acbCounter: 0,
    policy,
    distributedImages: new Map(),
    activationRequests: new Map(),
    futureDatedCoS: new Map(),
  };
}

/**
 * Pending commands are keyed `deviceEUI:originatorEUI:counter`: originator counters are per
 * originator (DCC.md §8), so two parties may use the same counter on one device at once.
 */
export function pendingKey(device: Eui, originator: Eui, counter: number): string {
  return `${device}:${originator}:${counter}`;
}

/**
 * The pending command a device message answers. A response names the command's originator (it is
 * addressed to it); an alert is addressed to the ACB and may not, so it is matched on device and
 * counter alone — and only when that is unambiguous: a guess could end the wrong SR.
 */
export function findPendingKey(
  state: DccState,
  device: Eui,
  counter: number,
  originator: Eui | undefined,
): string | undefined {
  if (originator !== undefined) {
    const key = pendingKey(device, originator, counter);
    if (state.pending.has(key)) return key;
  }
  let found: string | undefined;
  for (const [key, pending] of state.pending) {
    if (pending.device !== device || !key.endsWith(`:${counter}`)) continue;
    if (found !== undefined) return undefined;
    found = key;
  }
  return found;
}
