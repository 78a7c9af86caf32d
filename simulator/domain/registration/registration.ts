import type { Eui } from '../eui.js';

/**
 * Registration data: which supplier and which network operator are registered for each metering
 * point from which date, as the registration data providers feed it to the DCC (DCC.md §9,
 * TRIALS.md "Change of Supplier during a trial"). trialsim has one MPxN per meter, so the data is
 * keyed by the meter's device EUI.
 *
 * A registration may be future-dated: the gaining supplier is registered from the supply start
 * date, and the DCC consults the period in force at the instant of each service request.
 */
export type RegisteredRole = 'supplier' | 'networkOperator';

export interface RegistrationPeriod {
  readonly party: Eui;
  /** Virtual instant (ms) from which the party is registered. */
  readonly from: number;
  /** Why: `12.2`, `CoS`, `SoLR`, `preinstalled` … for the evidence. */
  readonly cause: string;
}

export interface DeviceRegistration {
  /** Oldest first; at most one period per `from` instant. */
  readonly supplier: RegistrationPeriod[];
  readonly networkOperator: RegistrationPeriod[];
}

export type RegistrationData = Map<Eui, DeviceRegistration>;
/** The same data as readers (reports, checks) see it. */
export type ReadonlyRegistrationData = ReadonlyMap<Eui, Readonly<DeviceRegistration>>;

export function newRegistrationData(): RegistrationData {
  return new Map();
}

/**
 * Registers `party` for `device` from `from`. A period starting at the same instant replaces the
 * earlier one (a corrected feed), so the data never holds two parties for one instant.
 */
export function register(
  data: RegistrationData,
  device: Eui,
  role: RegisteredRole,
  period: RegistrationPeriod,
): void {
  let entry = data.get(device);
  if (entry === undefined) {
    entry = { supplier: [], networkOperator: [] };
    data.set(device, entry);
  }
  const periods = entry[role];
  const same = periods.findIndex((p) => p.from === period.from);
  if (same >= 0) periods.splice(same, 1);
  const after = periods.findIndex((p) => p.from > period.from);
  periods.splice(after < 0 ? periods.length : after, 0, period);
}

/** The period in force at `at`, or `undefined` if the data holds none for the device yet. */
export function registeredAt(
  data: ReadonlyRegistrationData,
  device: Eui,
  role: RegisteredRole,
  at: number,
): RegistrationPeriod | undefined {
  const periods = data.get(device)?.[role] ?? [];
  let current: RegistrationPeriod | undefined;
  for (const period of periods) {
    if (period.from > at) break;
    current = period;
  }
  return current;
}

/** Every period recorded for a device and role, oldest first (for reports and checks). */
export function registrationHistory(
  data: ReadonlyRegistrationData,
  device: Eui,
  role: RegisteredRole,
): readonly RegistrationPeriod[] {
  return data.get(device)?.[role] ?? [];
}

/** Devices whose registered party for `role` at `at` is `party` (SoLR picks a failed supplier's). */
export function devicesRegisteredTo(
  data: ReadonlyRegistrationData,
  role: RegisteredRole,
  party: Eui,
  at: number,
): Eui[] {
  const found: Eui[] = [];
  for (const device of data.keys()) {
    if (registeredAt(data, device, role, at)?.party === party) found.push(device);
  }
  return found;
}
