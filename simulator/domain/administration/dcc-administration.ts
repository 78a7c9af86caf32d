import { appointSupplierOfLastResort, type SolrAppointment } from '../churn/supplier-of-last-resort.js';
import type { CplEntry, CplStatus } from '../cpl/cpl-entry.js';
import type { DccEffect } from '../dcc/dcc-effects.js';
import type { DccState } from '../dcc/dcc-state.js';
import { registerParty } from '../dcc/registered-parties.js';
import {
  addCplEntry,
  approveTrial,
  extendTrial,
  noteSponsorFailure,
  setCplStatus,
  type TrialApproval,
  withdrawTrial,
} from '../dcc/trial-administration.js';
import type { Eui } from '../eui.js';
import type { PolicyValues } from '../policy/policy-settings.js';
import type { RegisteredRole } from '../registration/registration.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { Trial } from '../trial/trial.js';

/**
 * Everything that changes the DCC from outside DUIS, as one closed list: the SSC's decisions on
 * trials, SECAS's changes to the CPL, the registration data feed, Ofgem's Supplier of Last Resort
 * and the enrolment of devices a fleet worker simulates. (It sits beside dcc/ rather than in it
 * because Supplier of Last Resort is churn's rule, and churn drives the DCC, never the reverse.) The harness (scenario steps, `up`, fleets,
 * churn) changes the DCC only through `administer`, and reads it only through the read-only
 * DccView, so every change to the DCC's state is either a service request or one of these.
 */
export type DccAdminEvent =
  /** The run's policy values (the modelling decisions the sources leave open), set before any trial. */
  | { readonly kind: 'setPolicy'; readonly policy: PolicyValues }
  | { readonly kind: 'approveTrial'; readonly approval: TrialApproval }
  | { readonly kind: 'extendTrial'; readonly trialId: string; readonly months: number }
  | { readonly kind: 'withdrawTrial'; readonly trialId: string; readonly reason: string }
  | { readonly kind: 'noteSponsorFailure'; readonly failed: Eui; readonly lastResort: Eui }
  | { readonly kind: 'addCplEntry'; readonly entry: CplEntry }
  | { readonly kind: 'setCplStatus'; readonly cpaCertificateReference: string; readonly status: CplStatus }
  | {
      readonly kind: 'registerParty';
      readonly device: Eui;
      readonly role: RegisteredRole;
      readonly party: Eui;
      readonly from: number;
      readonly cause: string;
    }
  | {
      readonly kind: 'supplierOfLastResort';
      readonly failed: Eui;
      readonly lastResort: Eui;
      readonly keepFailedUserActive?: boolean;
    }
  | {
      readonly kind: 'enrolDevice';
      readonly device: Eui;
      readonly kaPublic: Uint8Array;
      /** Its DS key, which checks its signed (critical) responses and alerts. */
      readonly dsPublic: Uint8Array;
      /** An SMI record to hold from now (a fleet's pre-installed device), or none. */
      readonly record?: SmiRecord;
    };

export type DccAdminOutcome =
  | {
      readonly ok: true;
      readonly effects: DccEffect[];
      readonly trial?: Trial;
      readonly appointment?: SolrAppointment;
    }
  | { readonly ok: false; readonly rule: string; readonly reason: string };

const done = (effects: DccEffect[] = []): DccAdminOutcome => ({ ok: true, effects });

export function administer(state: DccState, event: DccAdminEvent, now: number): DccAdminOutcome {
  switch (event.kind) {
    case 'setPolicy':
      state.policy = event.policy;
      return done();
    case 'approveTrial': {
      const outcome = approveTrial(state, event.approval);
      return outcome.ok ? { ok: true, effects: outcome.effects, trial: outcome.trial } : outcome;
    }
    case 'extendTrial':
      return extendTrial(state, event.trialId, event.months, now);
    case 'withdrawTrial':
      return withdrawTrial(state, event.trialId, event.reason, now);
    case 'noteSponsorFailure':
      noteSponsorFailure(state, event.failed, event.lastResort, now);
      return done();
    case 'addCplEntry':
      return done(addCplEntry(state, event.entry, now));
    case 'setCplStatus': {
      const reference = event.cpaCertificateReference;
      if (!state.cpl.some((e) => e.cpaCertificateReference === reference)) {
        const known = [...new Set(state.cpl.map((e) => e.cpaCertificateReference))].join(', ');
        return {
          ok: false,
          rule: 'CPL-NO-MATCH',
          reason: `no CPL entry has CPA certificate reference ${reference} (the CPL holds ${known || 'none'})`,
        };
      }
      return done(setCplStatus(state, (e) => e.cpaCertificateReference === reference, event.status, now));
    }
    case 'registerParty': {
      const record = state.smi.get(event.device);
      if (record === undefined) {
        return {
          ok: false,
          rule: 'REGISTRATION-NO-DEVICE',
          reason: `device ${event.device} is not in the Smart Metering Inventory`,
        };
      }
      registerParty(state, record, event.role, event.party, event.from, event.cause);
      // The network operator has no CoS step: the DCC's view follows the registration directly.
      if (event.role === 'networkOperator' && event.from <= now) record.networkOperator = event.party;
      return done();
    }
    case 'supplierOfLastResort': {
      const outcome = appointSupplierOfLastResort(state, event.failed, event.lastResort, now, {
        ...(event.keepFailedUserActive === undefined
          ? {}
          : { keepFailedUserActive: event.keepFailedUserActive }),
      });
      return outcome.ok ? { ok: true, effects: [], appointment: outcome.appointment } : outcome;
    }
    case 'enrolDevice':
      state.smki.set(event.device, { kaPublic: event.kaPublic, dsPublic: event.dsPublic });
      if (event.record !== undefined) state.smi.set(event.device, event.record);
      return done();
  }
}
