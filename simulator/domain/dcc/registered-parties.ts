import type { Eui } from '../eui.js';
import {
  type RegisteredRole,
  type RegistrationPeriod,
  register,
  registeredAt,
} from '../registration/registration.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { DccState } from './dcc-state.js';
import type { DccView } from './dcc-view.js';

/**
 * The DCC's reading of the registration data (DCC.md §9) and the E4 rule built on it.
 *
 * Two facts, kept apart on purpose:
 * - the **registered** supplier: who the registration data says is responsible at an instant;
 * - `SmiRecord.supplier`: whose credentials the DCC knows to be on the device now (changed only
 *   when a 6.23 replacement succeeds).
 * They differ only between a registration change and its 6.23. In that window the losing
 * supplier is no longer registered (E4) and the gaining supplier may send 6.23 and nothing else
 * (E4 otherwise: its commands would fail at the device anyway). So at every instant at most one
 * supplier can command a device, and once the CoS completes exactly one can: the registered one.
 * (trialsim's decision; DUIS leaves the interim window UNCONFIRMED.)
 */

/** A device the data holds nothing for is registered to whoever the SMI names (12.2, preinstalled). */
function implicitPeriod(record: SmiRecord, role: RegisteredRole): RegistrationPeriod | undefined {
  const party = role === 'supplier' ? record.supplier : record.networkOperator;
  if (party === undefined) return undefined;
  return { party, from: record.history[0]?.at ?? 0, cause: 'SMI' };
}

export function registeredParty(
  state: DccView,
  record: SmiRecord,
  role: RegisteredRole,
  at: number,
): Eui | undefined {
  const data = state.registration.get(record.deviceId);
  if (data === undefined || data[role].length === 0) return implicitPeriod(record, role)?.party;
  return registeredAt(state.registration, record.deviceId, role, at)?.party;
}

/**
 * Records a registration change from the feed. The first change for a device first writes down
 * the registration it had implicitly, so the history stays complete for the evidence.
 */
export function registerParty(
  state: DccState,
  record: SmiRecord,
  role: RegisteredRole,
  party: Eui,
  from: number,
  cause: string,
): void {
  const existing = state.registration.get(record.deviceId)?.[role] ?? [];
  const implicit = implicitPeriod(record, role);
  if (existing.length === 0 && implicit !== undefined && implicit.from < from) {
    register(state.registration, record.deviceId, role, implicit);
  }
  register(state.registration, record.deviceId, role, { party, from, cause });
}

/**
 * E4 for supplier roles: see the file comment. `gaining` is true for 6.23 (the catalogue's
 * `gainingSupplier` authorisation), the gaining supplier's only SRV.
 */
export function supplierMayAct(
  state: DccView,
  record: SmiRecord,
  user: Eui,
  gaining: boolean,
  now: number,
): boolean {
  const registered = registeredParty(state, record, 'supplier', now);
  if (registered !== user) return false;
  return gaining ? record.supplier !== user : record.supplier === user;
}

/** E4 for network operator roles: the operator registered for the device's metering point now. */
export function networkOperatorMayAct(state: DccView, record: SmiRecord, user: Eui, now: number): boolean {
  return registeredParty(state, record, 'networkOperator', now) === user;
}

/** Why E4 fired, for the refusal's reason (the rule stays DUIS-E4). */
export function supplierRefusalReason(
  state: DccView,
  record: SmiRecord,
  user: Eui,
  gaining: boolean,
  now: number,
): string {
  const registered = registeredParty(state, record, 'supplier', now);
  if (registered !== user) {
    return `${user} is not the supplier registered for ${record.deviceId} now (${registered ?? 'none'} is)`;
  }
  if (gaining) return `${user} already holds the Supplier credentials on ${record.deviceId}: no CoS to do`;
  return `${user} is registered for ${record.deviceId} but its Change of Supplier (6.23) has not completed`;
}
