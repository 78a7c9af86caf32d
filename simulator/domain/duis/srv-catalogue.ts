import type { DeviceType } from '../device/device-types.js';
import { SMI_STATUSES, type SmiStatus } from '../smi/smi-status.js';
import type { UserRole } from './user-roles.js';

/**
 * The service requests of DCC.md §2, as data. Access control reads this table in DUIS order;
 * nothing about an SRV's eligibility is decided by code elsewhere.
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
  /** SMI statuses the target may be in (E5 otherwise). `null`: not checked (12.2's device is new). */
  readonly smiStatuses: readonly SmiStatus[] | null;
  /**
   * Which device access control checks: the RequestID `target`, the body's `deviceId`
   * (non-device SRs), a `newDevice` not yet in the SMI (12.2), or a `deviceList` the SRV's handler
   * screens itself (11.1 answers with warning lists rather than refusing the request).
   */
  readonly subject: 'target' | 'bodyDeviceId' | 'newDevice' | 'deviceList';
  /**
   * Who may act on the device now (E4): the `registered` supplier or network operator; `anyUser`
   * (8.2, which a gaining supplier reads before taking over); or a `gainingSupplier`: the supplier
   * the registration data names now, while another's credentials are still on the device (6.23,
   * DCC.md §9; dcc/registered-parties.ts).
   */
  readonly authorisation: 'registered' | 'anyUser' | 'gainingSupplier';
  /**
   * False for SRVs in DCC.md §2 whose device side trialsim does not model: they pass access
   * control like any other and are then refused with E12 (rule TRIALSIM-NOT-IMPLEMENTED).
   */
  readonly implemented: boolean;
}

const ALL_ROLES: readonly UserRole[] = ['IS', 'ES', 'GS', 'RSA', 'ED', 'GT', 'OU'];
const SUPPLIERS: readonly UserRole[] = ['IS', 'GS'];
const SUPPLIERS_AND_NETWORKS: readonly UserRole[] = ['IS', 'GS', 'ED', 'GT'];
const METERS: readonly DeviceType[] = ['ESME', 'GSME'];
const SMI_DEVICES: readonly DeviceType[] = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS'];
const HAN_DEVICES: readonly DeviceType[] = ['ESME', 'GSME', 'GPF', 'PPMID', 'HCALCS'];
const ANY_STATUS: readonly SmiStatus[] = SMI_STATUSES;
const LIVE: readonly SmiStatus[] = ['Commissioned'];
// TRIALS.md "End of trial": a Suspended device takes only firmware SRs (11.1/11.2/11.3) and 8.3;
// DCC.md §4: the SEC made 11.2 exempt from E5 so a lost 11.3 response can be reconciled.
const LIVE_OR_SUSPENDED: readonly SmiStatus[] = ['Commissioned', 'Suspended'];
// DCC.md §2 (8.14.x): comms hub status updates at install and return; UNCONFIRMED in detail.
const CH_STATUSES: readonly SmiStatus[] = [
  'Pending',
  'Whitelisted',
  'InstalledNotCommissioned',
  'Commissioned',
  'Suspended',
];

type Options = Partial<Omit<SrvDefinition, 'srv' | 'name' | 'roles' | 'deviceTypes' | 'smiStatuses'>>;

function define(
  srv: string,
  name: string,
  roles: readonly UserRole[],
  deviceTypes: readonly DeviceType[],
  smiStatuses: readonly SmiStatus[] | null,
  options: Options = {},
): SrvDefinition {
  const nonDevice = options.nonDevice ?? false;
  return Object.freeze({
    srv,
    name,
    critical: options.critical ?? false,
    nonDevice,
    roles,
    deviceTypes,
    smiStatuses,
    subject: options.subject ?? (nonDevice ? 'bodyDeviceId' : 'target'),
    authorisation: options.authorisation ?? 'registered',
    implemented: options.implemented ?? true,
  });
}

const NON_DEVICE = { nonDevice: true } as const;
const CRITICAL = { critical: true } as const;
const NOT_MODELLED = { implemented: false } as const;

const entries: readonly SrvDefinition[] = [
  define('12.2', 'Device Pre-notification', ALL_ROLES, SMI_DEVICES, null, {
    nonDevice: true,
    subject: 'newDevice',
  }),
  define('8.2', 'Read Inventory', ALL_ROLES, [...SMI_DEVICES, 'IHD', 'CAD'], ANY_STATUS, {
    nonDevice: true,
    authorisation: 'anyUser',
  }),
  define(
    '8.4',
    'Update Inventory',
    ALL_ROLES,
    HAN_DEVICES,
    ['Pending', 'Whitelisted', 'InstalledNotCommissioned'],
    NON_DEVICE,
  ),
  define('8.11', 'Update HAN Device Log', ['IS', 'GS', 'OU'], ['CHF'], LIVE),
  define('8.7.1', 'Join Service (critical)', SUPPLIERS, HAN_DEVICES, LIVE, { ...CRITICAL, ...NOT_MODELLED }),
  define('8.7.2', 'Join Service (non-critical)', ['IS', 'GS', 'OU'], HAN_DEVICES, LIVE, NOT_MODELLED),
  define('8.8.1', 'Unjoin Service (critical)', SUPPLIERS, HAN_DEVICES, LIVE, {
    ...CRITICAL,
    ...NOT_MODELLED,
  }),
  define('8.8.2', 'Unjoin Service (non-critical)', ['IS', 'GS', 'OU'], HAN_DEVICES, LIVE, NOT_MODELLED),
  define('8.9', 'Read Device Log', ['IS', 'GS', 'OU'], ['CHF', 'GPF'], LIVE),
  define('8.1.1', 'Commission Device', SUPPLIERS, HAN_DEVICES, ['InstalledNotCommissioned'], CRITICAL),
  define(
    '8.3',
    'Decommission Device',
    SUPPLIERS,
    HAN_DEVICES,
    ['Commissioned', 'Suspended', 'InstalledNotCommissioned'],
    NON_DEVICE,
  ),
  define(
    '8.14.1',
    'Communications Hub Status Update - Install Success',
    SUPPLIERS,
    ['CHF'],
    CH_STATUSES,
    NON_DEVICE,
  ),
  define(
    '8.14.2',
    'Communications Hub Status Update - Install No SM WAN',
    SUPPLIERS,
    ['CHF'],
    CH_STATUSES,
    NON_DEVICE,
  ),
  define(
    '8.14.3',
    'Communications Hub Status Update - Fault Return',
    SUPPLIERS,
    ['CHF'],
    CH_STATUSES,
    NON_DEVICE,
  ),
  define(
    '8.14.4',
    'Communications Hub Status Update - No Fault Return',
    SUPPLIERS,
    ['CHF'],
    CH_STATUSES,
    NON_DEVICE,
  ),
  define('6.15.1', 'Update Security Credentials (KRP)', SUPPLIERS_AND_NETWORKS, HAN_DEVICES, LIVE, CRITICAL),
  define('6.21', 'Request Handover of DCC Controlled Device', SUPPLIERS, HAN_DEVICES, LIVE, NOT_MODELLED),
  // TRIALS.md: a Suspended trial device may still change supplier; the gaining one must then
  // upgrade or remove it, so 6.23 is allowed while Suspended (TRIALS.md "Change of Supplier during a trial").
  define('6.23', 'Update Security Credentials (CoS)', SUPPLIERS, HAN_DEVICES, LIVE_OR_SUSPENDED, {
    authorisation: 'gainingSupplier',
  }),
  define(
    '6.24.1',
    'Retrieve Device Security Credentials (KRP)',
    SUPPLIERS_AND_NETWORKS,
    HAN_DEVICES,
    LIVE,
    NOT_MODELLED,
  ),
  define('6.13', 'Read Event or Security Log', ['IS', 'GS', 'ED', 'GT', 'RSA'], HAN_DEVICES, LIVE),
  define('3.2', 'Restrict Access for Change of Tenancy', SUPPLIERS, METERS, LIVE, NOT_MODELLED),
  define('11.1', 'Update Firmware', SUPPLIERS, HAN_DEVICES, LIVE_OR_SUSPENDED, {
    nonDevice: true,
    subject: 'deviceList',
  }),
  define('11.2', 'Read Firmware Version', ALL_ROLES, HAN_DEVICES, LIVE_OR_SUSPENDED),
  define('11.3', 'Activate Firmware', SUPPLIERS, HAN_DEVICES, LIVE_OR_SUSPENDED, CRITICAL),
  define('4.1.1', 'Read Instantaneous Import Registers', SUPPLIERS_AND_NETWORKS, METERS, LIVE),
];

export const SRV_CATALOGUE: ReadonlyMap<string, SrvDefinition> = new Map(
  entries.map((entry) => [entry.srv, entry]),
);

export function lookupSrv(srv: string): SrvDefinition | undefined {
  return SRV_CATALOGUE.get(srv);
}

/** Command variants valid for an SRV (E12 otherwise): 1 non-critical, 4/5 critical, 8 non-device. */
export function allowedCommandVariants(def: SrvDefinition): readonly number[] {
  if (def.nonDevice) return [8];
  return def.critical ? [4, 5] : [1];
}
