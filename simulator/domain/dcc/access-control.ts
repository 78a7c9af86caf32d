import { parseRequestId, type RequestId } from '../duis/request-id.js';
import type { ResponseCode } from '../duis/response-codes.js';
import {
  allowedCommandVariants,
  lookupSrv,
  SRV_CATALOGUE,
  type SrvDefinition,
} from '../duis/srv-catalogue.js';
import { NETWORK_OPERATOR_ROLES, SUPPLIER_ROLES } from '../duis/user-roles.js';
import { type Eui, parseEui } from '../eui.js';
import type { ServiceRequest } from '../messages/duis-messages.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { DccState, DccUser } from './dcc-state.js';
import { executionTime } from './execution-time.js';
import { networkOperatorMayAct, supplierMayAct, supplierRefusalReason } from './registered-parties.js';

export interface Refusal {
  readonly ok: false;
  readonly code: ResponseCode;
  readonly rule: string;
  readonly reason: string;
}

export interface Admitted {
  readonly ok: true;
  readonly def: SrvDefinition;
  readonly user: DccUser;
  readonly requestId: RequestId;
  /** The device the SR is about: the target, or `body.deviceId` for non-device SRs. */
  readonly deviceId: Eui | undefined;
  readonly record: SmiRecord | undefined;
}

function refuse(code: ResponseCode, reason: string, rule = `DUIS-${code}`): Refusal {
  return { ok: false, code, rule, reason };
}

function readEui(value: unknown): Eui | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parseEui(value);
  } catch {
    return undefined;
  }
}

/**
 * DUIS access control, in DUIS order (DCC.md §2): the user (E1, E3) and its RequestID counter,
 * the SRV and the user's role (E2), device known (E19), user authorised for this device now (E4),
 * SMI status (E5), device type (E11), command variant (E12). `isContinuation` is true for a CV 5,
 * whose RequestID is the CV 4's; it passes every other check again, as the world may have moved.
 *
 * The one write: a RequestID counter that passes the replay check is consumed even if a later
 * check refuses the request, so one RequestID can never name two outcomes (DCC.md §2: the
 * counter is strictly increasing per originator).
 */
export function admit(
  state: DccState,
  from: Eui,
  request: ServiceRequest,
  isContinuation: boolean,
  now: number,
): Admitted | Refusal {
  let requestId: RequestId;
  try {
    requestId = parseRequestId(request.requestId);
  } catch (err) {
    return refuse('E12', (err as Error).message, 'DUIS-REQUESTID');
  }
  // E1: the originator in the RequestID must be the user who sent it (its own topic).
  const user = state.users.get(requestId.originator);
  if (user === undefined || requestId.originator !== from) {
    return refuse(
      'E1',
      `${requestId.originator} is not a DCC User known on this connection (sent as ${from})`,
    );
  }
  if (user.status !== 'active') return refuse('E3', `user ${user.eui} is ${user.status}`);
  if (!isContinuation) {
    if (requestId.counter <= user.lastCounter) {
      return refuse(
        'E12',
        `RequestID counter ${requestId.counter} is not greater than the last one received from ${user.eui} (${user.lastCounter}): replay refused`,
        'DUIS-REQUESTID-COUNTER',
      );
    }
    user.lastCounter = requestId.counter;
  }

  const def = lookupSrv(request.serviceReferenceVariant);
  if (def === undefined) {
    return refuse(
      'E12',
      `unknown SRV ${request.serviceReferenceVariant} (trialsim knows ${[...SRV_CATALOGUE.keys()].join(', ')})`,
      'DUIS-SRV-UNKNOWN',
    );
  }
  if (!def.roles.includes(user.role)) {
    return refuse('E2', `role ${user.role} may not send SRV ${def.srv} (${def.name})`);
  }
  if (def.nonDevice && requestId.target !== state.config.dccEui) {
    return refuse(
      'E12',
      `non-device SRV ${def.srv} must target the DCC (${state.config.dccEui})`,
      'DUIS-TARGET',
    );
  }

  const deviceId = def.nonDevice ? readEui(request.body.deviceId) : requestId.target;
  if (def.subject === 'newDevice' || (def.subject === 'deviceList' && deviceId === undefined)) {
    // 12.2's device is new; 11.1 screens its device list itself (warning lists, DCC.md §10).
    return { ok: true, def, user, requestId, deviceId, record: undefined };
  }
  if (deviceId === undefined) return refuse('E19', `SRV ${def.srv} names no valid deviceId`);
  const record = state.smi.get(deviceId);
  if (record === undefined) return refuse('E19', `device ${deviceId} is not in the Smart Metering Inventory`);
  let subject = record;
  if (def.srv === '8.11') {
    // 8.11 targets the CHF; the device being joined must exist too, and its supplier is the one
    // that counts for E4.
    const joining = readEui(request.body.deviceId);
    const joiningRecord = joining === undefined ? undefined : state.smi.get(joining);
    if (joiningRecord === undefined) {
      return refuse(
        'E19',
        `device ${String(request.body.deviceId)} to be added to ${deviceId}'s device log is not in the Smart Metering Inventory`,
      );
    }
    subject = joiningRecord;
  }

  const unauthorised = authorisationProblem(def, user, subject, state, now, gainingAt(def, request, now));
  if (unauthorised !== undefined) return refuse('E4', unauthorised);
  if (def.smiStatuses !== null && (record.status === null || !def.smiStatuses.includes(record.status))) {
    return refuse(
      'E5',
      `SRV ${def.srv} is not allowed while ${deviceId} is ${record.status ?? 'without SMI status'} (allowed: ${def.smiStatuses.join(', ')})`,
    );
  }
  if (!def.deviceTypes.includes(record.deviceType)) {
    return refuse('E11', `SRV ${def.srv} is not valid for a ${record.deviceType}`);
  }
  if (!allowedCommandVariants(def).includes(request.commandVariant)) {
    return refuse(
      'E12',
      `command variant ${request.commandVariant} is not valid for SRV ${def.srv} (allowed: ${allowedCommandVariants(def).join(', ')})`,
      'DUIS-CV',
    );
  }
  if (!def.implemented) {
    return refuse(
      'E12',
      `SRV ${def.srv} (${def.name}) passed access control but is not implemented by trialsim`,
      'TRIALSIM-NOT-IMPLEMENTED',
    );
  }
  return { ok: true, def, user, requestId, deviceId, record };
}

/**
 * E4: suppliers act only for devices they are registered for, network operators only on their
 * network (DCC.md §2, §9), by the registration data in force `now` (dcc/registered-parties.ts:
 * a gaining supplier may send 6.23 and nothing else until its CoS completes). Returns why not,
 * or undefined if the user may act now.
 */
function authorisationProblem(
  def: SrvDefinition,
  user: DccUser,
  record: SmiRecord,
  state: DccState,
  now: number,
  supplierAt = now,
): string | undefined {
  if (def.authorisation === 'anyUser') return undefined;
  const isSupplier = SUPPLIER_ROLES.includes(user.role) || user.role === 'ES';
  const gaining = def.authorisation === 'gainingSupplier';
  if (isSupplier && !supplierMayAct(state, record, user.eui, gaining, supplierAt)) {
    const reason = supplierRefusalReason(state, record, user.eui, gaining, supplierAt);
    return supplierAt === now
      ? reason
      : `${reason.replace(/ now\b/, '')} at the execution date-time ${new Date(supplierAt).toISOString()}`;
  }
  if (NETWORK_OPERATOR_ROLES.includes(user.role) && !networkOperatorMayAct(state, record, user.eui, now)) {
    return `${user.eui} (${user.role}) is not the network operator registered for ${record.deviceId} now`;
  }
  return undefined;
}

/**
 * When the gaining supplier's right to send 6.23 is judged: at a future execution date-time if
 * the 6.23 names one (it may be sent ahead of the supply start date, policy `cos.futureDated`),
 * otherwise now. A date-time not in the future is the E30 check's to refuse.
 */
function gainingAt(def: SrvDefinition, request: ServiceRequest, now: number): number {
  if (def.authorisation !== 'gainingSupplier') return now;
  const at = executionTime(request.body);
  return at !== undefined && at > now ? at : now;
}

/**
 * The device a request names, valid or not, for its recorded outcome (so a refused SR to a trial
 * device is still recognised as one in the OPR figures): the target, or for SRs to the DCC the
 * body's `deviceId`.
 */
export function requestDevice(request: ServiceRequest, dccEui: Eui): Eui | undefined {
  const target = readEui(request.requestId.split(':')[1]);
  return target === dccEui ? readEui(request.body.deviceId) : target;
}
