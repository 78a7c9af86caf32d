import type { CplEntry, Eui } from '../../simulator/domain/index.js';
import type { DeviceSpec } from '../stack/device-spec.js';

/**
 * The devices of a scale run: one CPA-certified ESME model, many meters. Generated from an
 * index rather than listed, so the main process and every worker agree on device N without
 * shipping 100,000 specs between processes.
 */
export const FLEET_MODEL = {
  deviceType: 'ESME',
  manufacturer: 'Acme Meters Ltd',
  model: 'ACME-E-100',
  hardwareVersion: '3.0',
  firmwareVersion: '3.2.0',
} as const;

/** The CPL entry that makes FLEET_MODEL commissionable (fixtures/cpl/default-cpl.yaml has it too). */
export const FLEET_CPL: readonly CplEntry[] = [
  { ...FLEET_MODEL, cpaCertificateReference: 'CPA-2023-0042', status: 'Active', imageHash: undefined },
];

/** Largest fleet index: the EUI keeps 32 bits for it. */
export const MAX_FLEET_INDEX = 0xffff_ffff;

/** `00-12-4B-FF-` then the index in 32 bits: clear of the built-in scenarios' `00-12-4B-00-…` EUIs. */
export function fleetEui(index: number): Eui {
  if (!Number.isInteger(index) || index < 0 || index > MAX_FLEET_INDEX) {
    throw new RangeError(`fleet device index ${index} is outside 0..${MAX_FLEET_INDEX}`);
  }
  const hex = index.toString(16).toUpperCase().padStart(8, '0');
  return `00-12-4B-FF-${hex.slice(0, 2)}-${hex.slice(2, 4)}-${hex.slice(4, 6)}-${hex.slice(6, 8)}` as Eui;
}

export interface FleetDeviceOptions {
  /** Installed and commissioned before the run (SMI Commissioned, device commissioned). */
  readonly preinstalled: boolean;
  readonly supplier?: string;
}

export function fleetDeviceSpec(index: number, options: FleetDeviceOptions): DeviceSpec {
  return {
    id: `meter-${index}`,
    eui: fleetEui(index),
    ...FLEET_MODEL,
    supplier: options.supplier ?? 'supplier-a',
    networkOperator: 'network-operator',
    chf: undefined,
    preinstalled: options.preinstalled,
  };
}

export function fleetDeviceSpecs(first: number, count: number, options: FleetDeviceOptions): DeviceSpec[] {
  return Array.from({ length: count }, (_, i) => fleetDeviceSpec(first + i, options));
}
