import type { CplEntry } from '../../simulator/domain/index.js';
import type { DeviceSpec } from './device-spec.js';

export interface StackOptions {
  readonly seed: string;
  /** Virtual start instant, ms. */
  readonly start: number;
  /** `mqtt://host:port` of an external broker; omitted → aedes embedded on loopback. */
  readonly brokerUrl?: string;
  /**
   * The embedded broker's TCP port (default 0: a free one) and address (default 127.0.0.1),
   * for a stack others join (`trialsim up --auth`). Ignored with `brokerUrl`.
   */
  readonly brokerPort?: number;
  readonly brokerHost?: string;
  /** Topic namespace; defaults to one derived from the seed, so parallel runs never meet. */
  readonly namespace?: string;
  readonly devices: readonly DeviceSpec[];
  readonly cpl: readonly CplEntry[];
  readonly responseTimeoutMs?: number;
  /**
   * Persistent MQTT sessions (clean: false) with automatic reconnection, so a broker restart
   * loses no message (test/integration/reliability). Off by default: a run that loses its broker says so.
   */
  readonly persistentSessions?: boolean;
  /**
   * 'own' (the default): each device has its own MQTT client and client id, like every other
   * party. 'shared': all devices share one connection (SharedMqttConnection) — for fleets of
   * thousands, where a client each costs more memory and start-up time than the device itself.
   * 'auto': 'own' while the own clients fit under the open-file limit (descriptor-budget.ts), else
   * 'shared' on the embedded broker (what the scenario runner asks for); the stack says which.
   */
  readonly deviceConnection?: 'own' | 'shared' | 'auto';
  /**
   * true: the trace keeps only its newest entries in memory and the rest in a temporary file
   * (TraceSpillFile), read back whenever the trace is read: a scenario run, whose trace is read at
   * its end, then needs memory for its devices, not for every message they exchanged. Default
   * false (a live stack, a benchmark: everything in memory).
   */
  readonly spillTrace?: boolean;
  /**
   * false: derive each device's keys without issuing its certificates (a certificate costs
   * milliseconds; 10k devices, minutes). The keys are the ones the certificates would certify,
   * but `pki.devices` is then empty. Default true.
   */
  readonly issueDeviceCertificates?: boolean;
  /**
   * Scenario device ids NOT to simulate: real devices under test (`--dut`) take their place on
   * the bus. They keep their spec, SMI record and keys; only the DeviceNode is missing.
   */
  readonly externalDevices?: readonly string[];
  /**
   * DCC Users (party names) that reach the DCC with signed DUIS XML over HTTP, their results
   * POSTed to their own receive-response URL, instead of over MQTT. The stack then serves DUIS
   * on loopback in front of the same DCC (`duis`).
   */
  readonly duisUsers?: readonly string[];
}
