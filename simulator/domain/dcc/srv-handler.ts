import type { ContentCodec } from '../../ports/content-codec.js';
import type { ResponseCode } from '../duis/response-codes.js';
import type { Eui } from '../eui.js';
import type { GeneralSigningApdu } from '../gbcs/apdu/general-signing.js';
import type { SharedSecretSource } from '../gbcs/protection/shared-secret-cache.js';
import type { ServiceRequest } from '../messages/duis-messages.js';
import type { GbcsFrame, GbcsPayload } from '../messages/gbcs-messages.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { Admitted } from './access-control.js';
import type { DccEffect } from './dcc-effects.js';
import type { DccState, PendingCommand } from './dcc-state.js';

export interface DccEnvironment {
  /** The content of trialsim-profile messages (PROTOCOL.md §5). */
  readonly codec: ContentCodec;
  readonly secrets?: SharedSecretSource;
}

/** What an SRV handler gets: the admitted request and the DCC's ways of answering it. */
export interface SrvRequestContext {
  readonly state: DccState;
  readonly env: DccEnvironment;
  readonly admitted: Admitted;
  readonly request: ServiceRequest;
  /** The body after the SRV's schema (its service module's `requestBody`) validated it. */
  readonly body: Record<string, unknown>;
  readonly now: number;
  /** Answers I0 (non-device SRs complete at once) and records the outcome. */
  ok(body: Record<string, unknown>, effects?: readonly DccEffect[]): DccEffect[];
  /** Refuses with a DUIS code, the rule that fired and a reason a person can act on. */
  refuse(code: ResponseCode, reason: string, rule?: string): DccEffect[];
  /**
   * The GBCS command for this request to its device (dcc-wire.ts): the use case by device type,
   * the User (or in the ACB form the ACB) as originator; `preCommand` leaves the signature field out.
   */
  commandApdu(body: Record<string, unknown>, preCommand?: boolean): GeneralSigningApdu;
  /** Sends a frame to the target device: I99 now, the device's answer (or E21) later. */
  /** `body`: what the DCC remembers of the SR for its answer (default the request's; CV 5: its CV 4's). */
  dispatch(frame: GbcsFrame, trialReservation?: string, body?: Record<string, unknown>): DccEffect[];
  /** The ACB's MAC header around a command for the target device; undefined without its KA certificate. */
  acbProtect(apdu: GeneralSigningApdu): GbcsFrame | undefined;
  /**
   * After a non-device SR has its outcome, sends this SRV's GBCS command to one device (MACed by
   * the ACB, counter = the RequestID's); the answer or the deadline goes to the SRV's
   * module's `dcc.followUp` (services/), not to the SR (11.1 distribution, 8.3). Undefined when the DCC
   * holds no certificate for the device.
   */
  sendFollowUp(device: Eui, body: Record<string, unknown>): DccEffect[] | undefined;
}

/** A device's answer to a follow-up command, or its silence until the deadline. */
export interface FollowUpHandler {
  answered(state: DccState, pending: PendingCommand, payload: GbcsPayload, now: number): DccEffect[];
  timedOut(state: DccState, pending: PendingCommand, now: number): DccEffect[];
}

/** Extra DCC behaviour for an alert a device raises on its own (e.g. a future-dated result). */
export type DeviceAlertHandler = (
  state: DccState,
  device: Eui,
  payload: GbcsPayload,
  now: number,
) => DccEffect[];

/** Handles a non-device SR (CV 8) completely. */
export type NonDeviceHandler = (ctx: SrvRequestContext) => DccEffect[];

/**
 * Takes over a device SR's path to the device (e.g. 6.23, which the DCC's CoS party re-signs).
 * Without one, critical SRs go CV 4 → CV 5 and non-critical ones are MACed by the ACB.
 */
export type DeviceRequestHandler = (ctx: SrvRequestContext) => DccEffect[];

/** What the DCC does when a device answers an SR successfully (SMI updates, reconciliation). */
export type DeviceResponseHandler = (
  state: DccState,
  pending: PendingCommand,
  payload: GbcsPayload,
  record: SmiRecord,
  now: number,
) => DccEffect[];
