import type { z } from 'zod';
import type {
  DeviceRequestHandler,
  DeviceResponseHandler,
  FollowUpHandler,
  NonDeviceHandler,
} from '../dcc/srv-handler.js';
import type { DeviceDefect } from '../device/device-defects.js';
import type { CommandResult } from '../device/device-output.js';
import type { DeviceState } from '../device/device-state.js';
import type { GbcsPayload } from '../messages/gbcs-messages.js';
import type { RemotePartyRole } from '../smki/remote-party-roles.js';
import type { GbcsMapping } from './gbcs-mapping.js';

/**
 * One service request, whole: the GBCS use case(s) it becomes on each device type, what the DCC
 * does with it, and what a device does when the command reaches it. Adding a service is one
 * module of this shape plus a line in service-catalogue.ts (and its DUIS eligibility line in
 * duis/srv-catalogue.ts, which also lists the SRVs trialsim does not model).
 */
export interface ServiceModule {
  /** The DUIS Service Reference Variant, e.g. `8.1.1`. */
  readonly srv: string;
  /** The request body the DCC accepts (validated before any handler runs); absent: passed through. */
  readonly requestBody?: z.ZodType<Record<string, unknown>>;
  /** What goes to the device, by device type; absent for SRVs the DCC handles alone. */
  readonly gbcs?: GbcsMapping;
  readonly dcc: DccHandling;
  /** Absent for SRVs no device ever executes (the DCC's inventory services). */
  readonly device?: DeviceExecution;
}

/** The DCC's part. Without `nonDevice` or `request`, the generic CV 1 / CV 4 → CV 5 paths apply. */
export interface DccHandling {
  /** A non-device SR (CV 8), handled completely by the DCC. */
  readonly nonDevice?: NonDeviceHandler;
  /** Takes over a device SR's path to the device (6.23, which the DCC's CoS party signs). */
  readonly request?: DeviceRequestHandler;
  /** What the DCC does when the device answers the SR with success. */
  readonly response?: DeviceResponseHandler;
  /** The device's answer to the command a non-device SR sends on after its outcome (11.1, 8.3). */
  readonly followUp?: FollowUpHandler;
}

/** The device's part: who may send the command, whether it is signed, and what it does. */
export interface DeviceExecution {
  /**
   * Critical on the device: the command carries the originator's signature (DCC.md §8). Not
   * always DUIS's criticality: 6.23 is a CV 1 request that reaches the device as a CS02b
   * command signed by the DCC's CoS party.
   */
  readonly critical: boolean;
  /** Remote party roles the device accepts the command from; anyone else gets 0x8F30. */
  readonly authority: readonly RemotePartyRole[];
  /**
   * Runs the command, already authenticated, authorised and fresh. Pure: `now` is passed in.
   * `defect` is only ever set for the mutant catalogue (device/device-defects.ts).
   */
  execute(state: DeviceState, command: GbcsPayload, now: number, defect?: DeviceDefect): CommandResult;
}
