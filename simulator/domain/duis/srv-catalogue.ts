import type { DeviceType } from '../device/device-types.js';
import type { SmiStatus } from '../smi/smi-status.js';
import type { UserRole } from './user-roles.js';

/**
 * The service requests trialsim implements, as data (DCC.md §2). Access control reads this table
 * in DUIS order; nothing about an SRV is decided by code elsewhere.
 */
export interface SrvDefinition {
  readonly srv: string;
  readonly name: string;
  readonly critical: boolean;
  /** Handled by the DCC alone (command variant 8); targets the DCC, names the device in the body. */
  readonly nonDevice: boolean;
  readonly roles: readonly UserRole[];
  /** Device types the SRV may target (E11 otherwise). */
  readonly deviceTypes: readonly DeviceType[];
  /** SMI statuses the target may be in (E5 otherwise). `null` for 12.2, whose device is new. */
  readonly smiStatuses: readonly SmiStatus[] | null;
}

const ALL_ROLES: readonly UserRole[] = ['IS', 'ES', 'GS', 'RSA', 'ED', 'GT', 'OU'];
const METERS: readonly DeviceType[] = ['ESME', 'GSME'];
const SMI_DEVICES: readonly DeviceType[] = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS'];
const HAN_DEVICES: readonly DeviceType[] = ['ESME', 'GSME', 'GPF', 'PPMID', 'HCALCS'];
const LIVE: readonly SmiStatus[] = ['Commissioned'];
// TRIALS.md: a Suspended device still takes firmware SRs (11.1/11.3) and 8.3; DCC.md §4: and 11.2.
const LIVE_OR_SUSPENDED: readonly SmiStatus[] = ['Commissioned', 'Suspended'];

const entries: SrvDefinition[] = [
  {
    srv: '12.2',
    name: 'Device Pre-notification',
    critical: false,
    nonDevice: true,
    roles: ALL_ROLES,
    deviceTypes: SMI_DEVICES,
    smiStatuses: null,
  },
  {
    srv: '8.2',
    name: 'Read Inventory',
    critical: false,
    nonDevice: true,
    roles: ALL_ROLES,
    deviceTypes: [...SMI_DEVICES, 'IHD', 'CAD'],
    smiStatuses: [
      'Pending',
      'Whitelisted',
      'InstalledNotCommissioned',
      'Commissioned',
      'Decommissioned',
      'Withdrawn',
      'Suspended',
      'Recovery',
      'Recovered',
    ],
  },
  {
    srv: '8.4',
    name: 'Update Inventory',
    critical: false,
    nonDevice: true,
    roles: ['IS', 'GS'],
    deviceTypes: HAN_DEVICES,
    smiStatuses: ['Pending', 'Whitelisted', 'InstalledNotCommissioned'],
  },
  {
    srv: '8.11',
    name: 'Update HAN Device Log',
    critical: false,
    nonDevice: false,
    roles: ['IS', 'GS', 'OU'],
    deviceTypes: ['CHF'],
    smiStatuses: LIVE,
  },
  {
    srv: '8.9',
    name: 'Read Device Log',
    critical: false,
    nonDevice: false,
    roles: ['IS', 'GS', 'OU'],
    deviceTypes: ['CHF', 'GPF'],
    smiStatuses: LIVE,
  },
  {
    srv: '8.1.1',
    name: 'Commission Device',
    critical: true,
    nonDevice: false,
    roles: ['IS', 'GS'],
    deviceTypes: HAN_DEVICES,
    smiStatuses: ['InstalledNotCommissioned'],
  },
  {
    srv: '8.3',
    name: 'Decommission Device',
    critical: false,
    nonDevice: true,
    roles: ['IS', 'GS'],
    deviceTypes: HAN_DEVICES,
    smiStatuses: ['Commissioned', 'Suspended', 'InstalledNotCommissioned'],
  },
  {
    srv: '6.15.1',
    name: 'Update Security Credentials (KRP)',
    critical: true,
    nonDevice: false,
    roles: ['IS', 'GS', 'ED', 'GT'],
    deviceTypes: HAN_DEVICES,
    smiStatuses: LIVE_OR_SUSPENDED,
  },
  {
    srv: '6.23',
    name: 'Update Security Credentials (CoS)',
    critical: false,
    nonDevice: false,
    roles: ['IS', 'GS'],
    deviceTypes: HAN_DEVICES,
    smiStatuses: LIVE_OR_SUSPENDED,
  },
  {
    srv: '6.13',
    name: 'Read Event or Security Log',
    critical: false,
    nonDevice: false,
    roles: ['IS', 'GS', 'ED', 'GT', 'RSA'],
    deviceTypes: HAN_DEVICES,
    smiStatuses: LIVE,
  },
  {
    srv: '11.1',
    name: 'Update Firmware',
    critical: false,
    nonDevice: true,
    roles: ['IS', 'GS'],
    deviceTypes: HAN_DEVICES,
    smiStatuses: LIVE_OR_SUSPENDED,
  },
  {
    srv: '11.2',
    name: 'Read Firmware Version',
    critical: false,
    nonDevice: false,
    roles: ALL_ROLES,
    deviceTypes: HAN_DEVICES,
    smiStatuses: LIVE_OR_SUSPENDED,
  },
  {
    srv: '11.3',
    name: 'Activate Firmware',
    critical: true,
    nonDevice: false,
    roles: ['IS', 'GS'],
    deviceTypes: HAN_DEVICES,
    smiStatuses: LIVE_OR_SUSPENDED,
  },
  {
    srv: '4.1.1',
    name: 'Read Instantaneous Import Registers',
    critical: false,
    nonDevice: false,
    roles: ['IS', 'GS', 'ED', 'GT'],
    deviceTypes: METERS,
    smiStatuses: LIVE,
  },
];

export const SRV_CATALOGUE: ReadonlyMap<string, SrvDefinition> = new Map(
  entries.map((entry) => [entry.srv, Object.freeze(entry)]),
);

export function lookupSrv(srv: string): SrvDefinition | undefined {
  return SRV_CATALOGUE.get(srv);
}

/** Command variants valid for an SRV (E12 otherwise): 1–3 non-critical, 4–7 critical, 8 non-device. */
export function allowedCommandVariants(def: SrvDefinition): readonly number[] {
  if (def.nonDevice) return [8];
  return def.critical ? [4, 5] : [1];
}
