import type { DeviceType } from '../device/device-types.js';

/** CPL and per-device CPL statuses (DCC.md §5). */
export const CPL_STATUSES = ['Active', 'Cancelled', 'Expired', 'Withdrawn'] as const;
export type CplStatus = (typeof CPL_STATUSES)[number];

/**
 * One Device Model on the Central Products List. A trial entry is an ordinary entry whose CPA
 * certificate reference is a "Trial" reference issued by the SSC (TRIALS.md step 4): the record
 * format does not change, so DCC systems see an ordinary entry.
 */
export interface CplEntry {
  readonly deviceType: DeviceType;
  readonly manufacturer: string;
  readonly model: string;
  readonly hardwareVersion: string;
  readonly firmwareVersion: string;
  readonly cpaCertificateReference: string;
  status: CplStatus;
  /** SHA-256 of the manufacturer's firmware image, hex (checked by 11.3). */
  readonly imageHash: string | undefined;
}

/** The prefix the SSC uses for Trial CPA certificate references, e.g. `TRIAL-SSC-0001`. */
export const TRIAL_REFERENCE_PREFIX = 'TRIAL-';

export function isTrialReference(reference: string): boolean {
  return reference.startsWith(TRIAL_REFERENCE_PREFIX);
}

export interface DeviceModelKey {
  readonly manufacturer: string;
  readonly model: string;
  readonly hardwareVersion: string;
  readonly firmwareVersion: string;
}

export function sameModel(entry: DeviceModelKey, key: DeviceModelKey): boolean {
  return (
    entry.manufacturer === key.manufacturer &&
    entry.model === key.model &&
    entry.hardwareVersion === key.hardwareVersion &&
    entry.firmwareVersion === key.firmwareVersion
  );
}

export function findCplEntry(cpl: readonly CplEntry[], key: DeviceModelKey): CplEntry | undefined {
  return cpl.find((entry) => sameModel(entry, key));
}

/** Per-device CPL status as 8.2 reports it: the entry's status, or Withdrawn if there is none. */
export function cplStatusFor(cpl: readonly CplEntry[], key: DeviceModelKey): CplStatus {
  return findCplEntry(cpl, key)?.status ?? 'Withdrawn';
}
