import { parseRequestId, type RequestId } from '../duis/request-id.js';
import type { ResponseCode } from '../duis/response-codes.js';
import { allowedCommandVariants, lookupSrv, type SrvDefinition } from '../duis/srv-catalogue.js';
import { NETWORK_OPERATOR_ROLES, SUPPLIER_ROLES } from '../duis/user-roles.js';
import { type Eui, parseEui } from '../eui.js';
import type { ServiceRequest } from '../messages/duis-messages.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { DccState, DccUser } from './dcc-state.js';

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

function bodyDeviceId(request: ServiceRequest): Eui | undefined {
  const value = request.body.deviceId;
  if (typeof value !== 'string') return undefined;
  try {
    return parseEui(value);
  } catch {
    return undefined;
  }
}

/**
 * DUIS access control, in DUIS order (DCC.md §2): user and role (E1/E2), device known (E19),
 * user authorised for this device now (E4), SMI status (E5), device type (E11), command variant
 * (E12). `isContinuation` is true for a CV 5 whose CV 4 already passed the counter check.
 */
export function admit(
  state: DccState,
  from: Eui,
  request: ServiceRequest,
  isContinuation: boolean,
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
  const def = lookupSrv(request.serviceReferenceVariant);
  if (def === undefined) {
    return refuse('E12', `unknown SRV ${request.serviceReferenceVariant}`, 'DUIS-SRV-UNKNOWN');
  }
  if (!def.roles.includes(user.role)) {
    return refuse('E2', `role ${user.role} may not send SRV ${def.srv} (${def.name})`);
  }
  if (!isContinuation && requestId.counter <= user.lastCounter) {
    return refuse(
      'E12',
      `RequestID counter ${requestId.counter} is not greater than the last accepted (${user.lastCounter}): replay refused`,
      'DUIS-REQUESTID-COUNTER',
    );
  }

  const deviceId = def.nonDevice ? bodyDeviceId(request) : requestId.target;
  if (def.nonDevice && requestId.target !== state.config.dccEui) {
    return refuse(
      'E12',
      `non-device SRV ${def.srv} must target the DCC (${state.config.dccEui})`,
      'DUIS-TARGET',
    );
  }
  if (def.srv === '12.2') {
    // The device is new: the SRV-specific checks happen in pre-notification itself.
    return { ok: true, def, user, requestId, deviceId, record: undefined };
  }
  if (deviceId === undefined) return refuse('E19', `SRV ${def.srv} names no valid deviceId`);
  const record = state.smi.get(deviceId);
  if (record === undefined) return refuse('E19', `device ${deviceId} is not in the Smart Metering Inventory`);

  const authorised = authorisedFor(def, user, record, request, state);
  if (!authorised) {
    return refuse('E4', `${user.eui} (${user.role}) is not the party registered for ${deviceId} now`);
  }
  if (def.smiStatuses !== null && (record.status === null || !def.smiStatuses.includes(record.status))) {
    return refuse(
      'E5',
      `SRV ${def.srv} is not allowed while ${deviceId} is ${record.status ?? 'without SMI status'}`,
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
  return { ok: true, def, user, requestId, deviceId, record };
}

/**
 * E4: suppliers act only for devices they are registered for, network operators only on their
 * network. 8.11 targets the CHF, so it is the device being joined whose supplier counts.
 */
function authorisedFor(
  def: SrvDefinition,
  user: DccUser,
  record: SmiRecord,
  request: ServiceRequest,
  state: DccState,
): boolean {
  let subject = record;
  if (def.srv === '8.11') {
    const joining = bodyDeviceId(request);
    const joiningRecord = joining === undefined ? undefined : state.smi.get(joining);
    if (joiningRecord === undefined) return false;
    subject = joiningRecord;
  }
  if (SUPPLIER_ROLES.includes(user.role) || user.role === 'ES') return subject.supplier === user.eui;
  if (NETWORK_OPERATOR_ROLES.includes(user.role)) return subject.networkOperator === user.eui;
  return true;
}
