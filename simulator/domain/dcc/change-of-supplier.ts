import { responseIdFor } from '../duis/request-id.js';
import type { Eui } from '../eui.js';
import { GBCS_CANCELLATION_AT } from '../gbcs/payloads/asn1/der-values.js';
import { signGeneralSigning } from '../gbcs/protection/gbcs-signature.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { DccEffect } from './dcc-effects.js';
import { pendingKey, type SmkiCertificateEntry, type SmkiOrganisationEntry } from './dcc-state.js';
import { acbProtect, commandApdu } from './dcc-wire.js';
import { executionTime } from './execution-time.js';
import { registerParty, supplierMayAct, supplierRefusalReason } from './registered-parties.js';
import type { DeviceRequestHandler, DeviceResponseHandler, SrvRequestContext } from './srv-handler.js';

/**
 * Change of Supplier (DCC.md §9). The gaining supplier sends 6.23 (access control has checked it
 * is the supplier registered now and not the one whose credentials are on the device); the DCC's
 * CoS party checks the certificates against the SMKI repository and signs a CS02b
 * `supplierByTransCoS` command replacing the device's Supplier DS and KA cells, with the floor
 * for the gaining supplier's counter. When the device confirms, the SMI names the gaining
 * supplier and both suppliers hear `ChangeOfSupplier` and `SecurityCredentialsUpdated`.
 */

/** GBCS message code of CS02b in mode 7, supplierByTransCoS (0x0100 + mode). */
const SUPPLIER_BY_TRANS_COS = 0x0107;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function sameSerial(given: unknown, held: string): boolean {
  return given === undefined || String(given).toLowerCase() === held.toLowerCase();
}

/** The gaining supplier's in-use certificates, checked against the SMKI repository, or a refusal. */
function cosCertificates(ctx: SrvRequestContext): SmkiOrganisationEntry | DccEffect[] {
  const { state, admitted, body } = ctx;
  const gaining = admitted.user.eui;
  const { cosEui, cosDsPrivate } = state.config;
  if (cosEui === undefined || cosDsPrivate === undefined) {
    return ctx.refuse('E12', 'this DCC has no CoS party to sign the replacement', 'COS-PARTY-MISSING');
  }
  const certificates = state.smkiOrganisations.get(gaining);
  if (certificates === undefined || certificates.role !== 'supplier') {
    return ctx.refuse(
      'E12',
      `the SMKI repository holds no Supplier certificates for ${gaining}`,
      'COS-CERTIFICATE',
    );
  }
  if (
    !sameSerial(body.dsCertificateSerial, certificates.ds.serialNumber) ||
    !sameSerial(body.kaCertificateSerial, certificates.ka.serialNumber)
  ) {
    return ctx.refuse(
      'E12',
      `6.23 names certificates that are not ${gaining}'s in-use Supplier certificates (DS ${certificates.ds.serialNumber}, KA ${certificates.ka.serialNumber})`,
      'COS-CERTIFICATE',
    );
  }
  return certificates;
}

function accepted(ctx: SrvRequestContext, body?: Record<string, unknown>): DccEffect {
  return {
    type: 'serviceResponse',
    user: ctx.admitted.user.eui,
    message: {
      responseId: responseIdFor(ctx.admitted.requestId),
      requestId: ctx.request.requestId,
      serviceReferenceVariant: '6.23',
      responseCode: 'I99',
      ...(body === undefined ? {} : { body }),
    },
  };
}

export const requestChangeOfSupplier: DeviceRequestHandler = (ctx) => {
  const at = executionTime(ctx.body);
  if (at === GBCS_CANCELLATION_AT) return cancelHeldChangeOfSupplier(ctx);
  const certificates = cosCertificates(ctx);
  if (Array.isArray(certificates)) return certificates;
  if (at !== undefined && at > ctx.now) return holdChangeOfSupplier(ctx, at);
  const sent = sendReplacement(ctx, certificates);
  // A refusal (E20) is the SR's only answer; otherwise I99 now, the device's answer later.
  return sent[0]?.type === 'serviceResponse' ? sent : [accepted(ctx), ...sent];
};

/**
 * The CS02b supplierByTransCoS the CoS party signs, and the deadline for the device's answer; or
 * the E20 refusal when the DCC holds no certificate for the device.
 */
function sendReplacement(ctx: SrvRequestContext, certificates: SmkiOrganisationEntry): DccEffect[] {
  const { state, admitted, body, now, request } = ctx;
  const record = admitted.record as SmiRecord;
  const device = admitted.deviceId as Eui;
  const gaining = admitted.user.eui;
  const cosEui = state.config.cosEui as Eui;
  const cosDsPrivate = state.config.cosDsPrivate as Uint8Array;
  // Default floor: the 6.23's own RequestID counter. Every command the gaining supplier sends
  // afterwards has a higher one; every command it sent before (if it held the device once
  // already) a lower one, so those can never be replayed (DCC.md §8).
  const floor =
    typeof body.floorSequenceNumber === 'number' ? body.floorSequenceNumber : admitted.requestId.counter;
  // The CoS party's counter: strictly increasing, and never below the virtual time in ms.
  const counter = Math.max(state.cosCounter + 1, now);
  state.cosCounter = counter;
  // CS02b embeds the certificates whole (GBCS.md §7.8); the key and `replaces` are what the
  // trace and a trialsim-profile reader see.
  const cell = (keyUsage: 'digitalSignature' | 'keyAgreement', entry: SmkiCertificateEntry) => ({
    role: 'supplier',
    keyUsage,
    cellUsage: 'management',
    eui: gaining,
    publicKey: hex(entry.publicKey),
    certificate: entry.certificate,
    replaces: record.supplier,
    originatorCounterFloor: floor,
  });
  const body623 = {
    replacementMode: 'supplierByTransCoS',
    replacements: [cell('digitalSignature', certificates.ds), cell('keyAgreement', certificates.ka)],
    certificationPath: certificates.certificationPath,
  };
  const command = commandApdu(
    state,
    ctx.env,
    {
      srv: '6.23',
      user: gaining,
      userCounter: admitted.requestId.counter,
      device,
      body: body623,
      originator: { eui: cosEui, counter },
    },
    // CS02b supplierByTransCoS (GBCS.md §7.8), originated and signed by the CoS party.
    { messageCode: SUPPLIER_BY_TRANS_COS, acbForm: false },
    now,
  );
  const frame = acbProtect(state, ctx.env, signGeneralSigning(command, cosDsPrivate));
  if (frame === undefined) return ctx.refuse('E20', `no SMKI certificate held for ${device}`);
  const key = pendingKey(device, cosEui, counter);
  state.pending.set(key, {
    requestId: request.requestId,
    user: gaining,
    srv: '6.23',
    device,
    requestedAt: now,
    body: { ...body, losingSupplier: record.supplier, floorSequenceNumber: floor },
    trialReservation: undefined,
  });
  return [
    {
      type: 'toDevice',
      device,
      frame,
    },
    { type: 'schedule', at: now + state.config.responseTimeoutMs, timer: { type: 'responseDeadline', key } },
  ];
}

/**
 * A future-dated 6.23 (policy `cos.futureDated`): the gaining supplier may send it before its
 * supply start date, when the registration data already names it from then (access control
 * judged it at its execution date-time). The DCC answers I99 and holds it; at the execution
 * date-time it checks again and its CoS party sends the replacement, so the credentials move on
 * the supply start date and the device answers then (I0). GBCS lets a CS02b carry the execution
 * time itself (GBCS.md §7.8, alert 0x00CB), and trialsim's devices hold one (6.15.1,
 * device/future-dated-credentials.ts); the DCC holds a 6.23 instead because the registration must
 * be judged again at the date — the outcome each party sees is the same.
 */
function holdChangeOfSupplier(ctx: SrvRequestContext, at: number): DccEffect[] {
  const { state, admitted, request, body, now } = ctx;
  const held = { user: admitted.user.eui, device: admitted.deviceId as Eui, request, body, heldAt: now, at };
  state.futureDatedCoS.set(request.requestId, held);
  return [
    accepted(ctx, { executionDateTime: new Date(at).toISOString() }),
    { type: 'schedule', at, timer: { type: 'futureDatedCoS', requestId: request.requestId } },
  ];
}

/**
 * A 6.23 dated as a cancellation (GBCS's 99991231235959Z; DUIS's 3000-12-31, mapped on the way in:
 * duis/xml/duis-cancellation.ts) cancels the future-dated 6.23s this User has the DCC hold for the
 * device. The device would cancel a future-dated CS02b it held itself (GBCS.md §7.8); the DCC
 * holds a 6.23 instead, so the DCC cancels it: it never runs (its User had I99 for it, and no
 * final answer follows, as for a cancelled CS02b), and this request's I0 names the RequestIDs
 * cancelled. Nothing held to cancel is a refusal, never a silent I0.
 */
function cancelHeldChangeOfSupplier(ctx: SrvRequestContext): DccEffect[] {
  const { state, admitted } = ctx;
  const user = admitted.user.eui;
  const device = admitted.deviceId as Eui;
  const cancelled = [...state.futureDatedCoS]
    .filter(([, held]) => held.user === user && held.device === device)
    .map(([requestId]) => requestId);
  if (cancelled.length === 0) {
    return ctx.refuse(
      'E12',
      `no future-dated 6.23 from ${user} is held for ${device}, so there is nothing to cancel`,
      'COS-NOTHING-TO-CANCEL',
    );
  }
  for (const requestId of cancelled) state.futureDatedCoS.delete(requestId);
  return ctx.ok({ cancelledRequestIds: cancelled });
}

/**
 * A held 6.23's execution date-time has come (dcc-timers.ts gives it its context back): the
 * registration is judged again, then the CoS party sends the replacement.
 */
export function executeHeldChangeOfSupplier(ctx: SrvRequestContext): DccEffect[] {
  const { state, admitted, now } = ctx;
  const { record } = admitted;
  const device = admitted.deviceId as Eui;
  const gaining = admitted.user.eui;
  if (record === undefined) {
    return ctx.refuse('E19', `device ${device} left the Smart Metering Inventory before the 6.23 executed`);
  }
  if (!supplierMayAct(state, record, gaining, true, now)) {
    return ctx.refuse(
      'E4',
      `at its execution date-time ${new Date(now).toISOString()}: ${supplierRefusalReason(state, record, gaining, true, now)}`,
    );
  }
  const statuses = admitted.def.smiStatuses;
  if (statuses !== null && (record.status === null || !statuses.includes(record.status))) {
    return ctx.refuse(
      'E5',
      `6.23 is not allowed while ${device} is ${record.status ?? 'without SMI status'}`,
    );
  }
  const certificates = cosCertificates(ctx);
  if (Array.isArray(certificates)) return certificates;
  return sendReplacement(ctx, certificates);
}

/** The device replaced the Supplier cells: the gaining supplier now answers for the device. */
export const changeOfSupplierCompleted: DeviceResponseHandler = (state, pending, payload, record, now) => {
  const losing = record.supplier;
  const gaining = pending.user;
  if (losing === gaining) return [];
  if ((state.registration.get(record.deviceId)?.supplier.length ?? 0) === 0) {
    // No registration feed for this device yet: write down what the completed CoS established.
    registerParty(state, record, 'supplier', gaining, pending.requestedAt, 'CoS');
  }
  record.supplier = gaining;
  const details = {
    requestId: pending.requestId,
    gainingSupplier: gaining,
    losingSupplier: losing,
    replacementMode: payload.body.replacementMode,
    floorSequenceNumber: pending.body.floorSequenceNumber,
  };
  const effects: DccEffect[] = [];
  for (const alert of ['ChangeOfSupplier', 'SecurityCredentialsUpdated'] as const) {
    for (const user of [gaining, losing]) {
      effects.push({
        type: 'dccAlert',
        user,
        message: { alert, deviceId: record.deviceId, raisedAt: now, details },
      });
    }
  }
  return effects;
};
