import type { DccState } from '../dcc/dcc-state.js';
import { registeredParty, registerParty } from '../dcc/registered-parties.js';
import { lookupSrv } from '../duis/srv-catalogue.js';
import { SUPPLIER_ROLES } from '../duis/user-roles.js';
import type { Eui } from '../eui.js';
import type { SmiStatus } from '../smi/smi-status.js';

/**
 * Supplier of Last Resort (TRIALS.md "Change of Supplier during a trial"): a supplier fails and
 * Ofgem appoints another to take over all its consumers at once. The registration data moves
 * every one of the failed supplier's metering points to the SoLR from one instant; the SoLR then
 * runs a Change of Supplier (6.23) for each device still holding the failed supplier's
 * credentials. Trial obligations move with the devices (the SMI names the new supplier).
 */
export interface SolrAppointment {
  readonly failed: Eui;
  readonly lastResort: Eui;
  readonly at: number;
  /** Devices whose credentials must be replaced: the SoLR sends 6.23 for each. */
  readonly changeOfSupplier: readonly Eui[];
  /** Devices not yet commissioned, comms hubs, and devices already holding the SoLR's credentials. */
  readonly movedInSmi: readonly Eui[];
}

export type SolrOutcome =
  | { readonly ok: true; readonly appointment: SolrAppointment }
  | { readonly ok: false; readonly rule: string; readonly reason: string };

/** Statuses where 6.23 applies (the SRV catalogue's Commissioned or Suspended). */
const LIVE: readonly SmiStatus[] = ['Commissioned', 'Suspended'];
/** Device types 6.23 applies to; a comms hub's SMI record just moves (no Supplier cells replaced). */
const COS_DEVICE_TYPES = lookupSrv('6.23')?.deviceTypes ?? [];
/** Statuses with no supplier relationship left to move. */
const GONE: readonly SmiStatus[] = ['Decommissioned', 'Withdrawn'];

/**
 * Appoints `lastResort` for every device registered to `failed` at `at`. The failed supplier's
 * DCC User account is suspended (E3 from then on) unless `keepFailedUserActive`: a failed
 * supplier leaves the market, and nothing it sends should reach a device again.
 */
export function appointSupplierOfLastResort(
  state: DccState,
  failed: Eui,
  lastResort: Eui,
  at: number,
  options: { readonly keepFailedUserActive?: boolean } = {},
): SolrOutcome {
  const failedUser = state.users.get(failed);
  const solrUser = state.users.get(lastResort);
  if (failedUser === undefined || !SUPPLIER_ROLES.includes(failedUser.role)) {
    return { ok: false, rule: 'SOLR-PARTY', reason: `${failed} is not a supplier known to the DCC` };
  }
  if (solrUser === undefined || !SUPPLIER_ROLES.includes(solrUser.role) || solrUser.status !== 'active') {
    return {
      ok: false,
      rule: 'SOLR-PARTY',
      reason: `${lastResort} is not an active supplier known to the DCC`,
    };
  }
  if (failed === lastResort) {
    return {
      ok: false,
      rule: 'SOLR-PARTY',
      reason: 'a failed supplier cannot be its own Supplier of Last Resort',
    };
  }
  const changeOfSupplier: Eui[] = [];
  const movedInSmi: Eui[] = [];
  for (const record of state.smi.values()) {
    if (record.status === null || GONE.includes(record.status)) continue;
    if (registeredParty(state, record, 'supplier', at) !== failed) continue;
    registerParty(state, record, 'supplier', lastResort, at, 'SoLR');
    // A device whose credentials are already the SoLR's (its own CoS away had not completed)
    // needs no 6.23: the registration moving back is enough.
    if (
      record.supplier !== lastResort &&
      LIVE.includes(record.status) &&
      COS_DEVICE_TYPES.includes(record.deviceType)
    ) {
      changeOfSupplier.push(record.deviceId);
    } else {
      record.supplier = lastResort;
      movedInSmi.push(record.deviceId);
    }
  }
  if (options.keepFailedUserActive !== true) failedUser.status = 'suspended';
  return { ok: true, appointment: { failed, lastResort, at, changeOfSupplier, movedInSmi } };
}
