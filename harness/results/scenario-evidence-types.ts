import type { DnoNotification, OprReport, SscTrialReport } from '../../simulator/domain/index.js';

/**
 * What the runner captures from the DCC's state at the end of a scenario for the evidence
 * (results.json schema v2, see RESULTS-SCHEMA.md). Virtual times only: all of it reproduces.
 */

/** A device's time in one SMI status: [from, to) on the virtual clock, ISO 8601. */
export interface TimelineSegment {
  readonly status: string;
  readonly from: string;
  readonly to: string;
  /** The SRV or DCC rule that moved the device into this status (SmiHistoryEntry.cause). */
  readonly cause: string;
}

export type TimelineEventKind = 'upgraded' | 'removed' | 'overdue';

export interface TimelineEvent {
  readonly at: string;
  readonly kind: TimelineEventKind;
  readonly trialId: string;
}

export interface DeviceTimeline {
  /** The scenario's device id (or the EUI for a device the scenario does not name). */
  readonly device: string;
  readonly eui: string;
  readonly deviceType: string;
  /** The trial the device was commissioned under, if any (kept after it leaves the trial). */
  readonly trialId?: string;
  readonly segments: readonly TimelineSegment[];
  readonly events: readonly TimelineEvent[];
}

export interface TimelineTrial {
  readonly trialId: string;
  readonly start: string;
  readonly end: string;
}

/** Devices by SMI status over virtual time (TRIALS.md "End of trial": upgraded, removed, overdue). */
export interface SmiTimeline {
  readonly start: string;
  readonly end: string;
  readonly trials: readonly TimelineTrial[];
  readonly devices: readonly DeviceTimeline[];
}

/**
 * Report figures at the end of the scenario. `sscTrialReport`, `oprReport` and
 * `dnoNotification` are the DCC's reports (simulator/domain/reports); `trialFigures` and
 * `oprFigures` are the harness's own count from the same state, an independent cross-check
 * that report.html compares with them.
 */
export interface ScenarioReports {
  readonly asOf: string;
  readonly sscTrialReport: SscTrialReport;
  readonly oprReport: OprReport;
  readonly dnoNotification: DnoNotification;
  readonly trialFigures: readonly TrialFigures[];
  readonly oprFigures: OprFigures;
}

export interface TrialFigures {
  readonly trialId: string;
  readonly cpaCertificateReference: string;
  readonly manufacturer: string;
  readonly sponsor: string;
  readonly start: string;
  readonly end: string;
  readonly maxDevices: number;
  readonly ended: boolean;
  /** Devices ever commissioned under the trial (the cap counts these). */
  readonly commissioned: number;
  /** Still trial devices in the field (commissioned or suspended, not upgraded, not removed). */
  readonly inField: number;
  readonly upgraded: number;
  readonly removed: number;
  /** Past the trial end, neither upgraded nor removed. */
  readonly overdue: number;
}

export interface OprFigures {
  /** Service requests with a recorded outcome. */
  readonly serviceRequests: number;
  /** Of those, completed for a trial device (left out of OPR when the policy says so). */
  readonly trialDeviceRequests: number;
  /** What the OPR figures count. */
  readonly counted: number;
  /** Counted requests by outcome (DUIS response code or GBCS alert code). */
  readonly byOutcome: Readonly<Record<string, number>>;
}

/**
 * A device of a scenario as the evidence describes it (results.json v3): simulated by trialsim or
 * a real device under test (`--dut`), its Device Model, and the firmware it ran.
 */
export interface TestedDevice {
  readonly id: string;
  readonly eui: string;
  readonly deviceType: string;
  readonly role: 'simulated' | 'device under test';
  readonly manufacturer: string;
  readonly model: string;
  readonly hardwareVersion: string;
  /** The firmware version the device started the scenario with. */
  readonly firmwareVersion: string;
  /** The firmware version it ran at the end, when known and different. */
  readonly firmwareVersionAtEnd?: string;
  /**
   * SHA-256 of the running firmware image at the end, hex, when the run knows it (an image
   * distributed and activated in the scenario). A factory image has no bytes in a simulation.
   */
  readonly firmwareImageHash?: string;
  /**
   * For a device under test, who says it runs that image: its own messages (an 11.3 it answered
   * with success) or the operator (`--dut-image-hash`).
   */
  readonly firmwareImageHashFrom?: 'shown by the device' | 'declared by the operator';
  /** The trial it was commissioned under, if any. */
  readonly trialId?: string;
}

/** What the scenario ran on (results.json v3). */
export interface ScenarioEnvironment {
  /**
   * `embedded`: aedes in the trialsim process, on a loopback port chosen at start (not recorded:
   * it changes from run to run and would break reproducible evidence); `external`: the broker at
   * `url`, as the user gave it.
   */
  readonly broker: { readonly kind: 'embedded' } | ExternalBroker;
  /**
   * What the embedded broker refused during the scenario: counted by rule, the first few in full
   * (a refused login's user name only as the claim it was). Absent with an external broker.
   */
  readonly brokerRefusals?: BrokerRefusals;
  /**
   * `shared`: the simulated devices reached the broker over one shared connection, because a
   * client each would not fit under the open-file limit (absent: each device had its own client).
   */
  readonly deviceConnection?: 'shared';
  /** How devices and the DCC exchanged messages, in words (from `deviceMessages`). */
  readonly deviceWire: string;
  /** How DCC Users reached the DCC, in words (from `users`). */
  readonly userInterface: string;
  /** The GBCS use cases that travelled, by payload profile. */
  readonly deviceMessages?: DeviceMessages;
  /** The Users that sent service requests, by the interface they used. */
  readonly users?: UserInterfaces;
}

/** An external broker as the run found it (simulator/adapters/mqtt/broker-probe.ts asked it). */
export interface ExternalBroker {
  readonly kind: 'external';
  readonly url: string;
  /**
   * Its software as it announced it on `$SYS/broker/version` (mosquitto: "mosquitto version
   * 2.0.11"). Absent: it announced nothing there (aedes publishes no version; nor does a mosquitto
   * with `sys_interval 0` or whose ACL refuses the topic), so the software is unknown.
   */
  readonly software?: string;
  /** Why trialsim learnt nothing about it (the probe could not connect or got no answer in time). */
  readonly probeFailed?: string;
  /**
   * **Real clock**: its round trips at the start of the scenario (median ms of a PUBLISH → PUBACK
   * and of two PUBLISHes sent together → both PUBACKs) and `nagleDelay`: the second exceeds the
   * first by a delayed ACK, so the broker holds small writes back (mosquitto without
   * `set_tcp_nodelay true`), which slows every request and response.
   */
  readonly timing?: {
    readonly roundTripMs: number;
    readonly pairedRoundTripMs: number;
    readonly nagleDelay: boolean;
  };
}

/** One refusal by the broker, as the evidence keeps it. */
export interface RecordedRefusal {
  readonly action: 'connect' | 'publish' | 'subscribe' | 'packet';
  /** The client id it used (a refused login's: cut, quoted, a claim). */
  readonly clientId: string;
  /** The principal it authenticated as, or `(unauthenticated)`. */
  readonly principal: string;
  /** A refused login's user name, cut and quoted: what it claimed, never who it was. */
  readonly claimedUsername?: string;
  readonly topic?: string;
  /** `BROKER-AUTH`, `BROKER-ACL-PUBLISH`, … */
  readonly rule: string;
  readonly reason: string;
}

export interface BrokerRefusals {
  /** Refusals in all. */
  readonly total: number;
  /** Every refusal, counted by rule. */
  readonly byRule: Readonly<Record<string, number>>;
  /** The first few in full (the trace holds a few more); the rest only counted. */
  readonly first: readonly RecordedRefusal[];
}

/** A GBCS use case as it travelled: `ECS52` `0x0059`; on trialsim's profile, why. */
export interface WireUseCase {
  readonly useCase: string;
  readonly messageCode: string;
  readonly reason?: string;
}

export interface DeviceMessages {
  /** Use cases whose messages carried the use case's GBCS payload (byte-compatible). */
  readonly gbcsPayload: readonly WireUseCase[];
  /** Use cases whose messages carried trialsim's CBOR content under the GBCS header. */
  readonly trialsimProfile: readonly WireUseCase[];
}

export interface UserInterfaces {
  /** Users whose service requests came as DUIS XML over HTTP. */
  readonly duis: readonly string[];
  /** Users whose service requests came in trialsim's CBOR envelope over MQTT. */
  readonly envelope: readonly string[];
}
