import type { DeviceType } from '../../device/device-types.js';

/**
 * The GBCS use cases trialsim speaks, by message code (GBCS.md §3). One row per code: the name
 * as GBCS writes it, whether it is a command (its response echoes the code) or an alert, whether
 * it is critical (User- or TransCoS-signed command, device-signed response; a critical alert is
 * device-signed), the payload encoding, the device types it addresses, which of those get it in
 * the ACB form (§5.3), and the DUIS SRVs that map to it. Adding a use case is one row here plus
 * its payload codec.
 */
export type PayloadEncoding = 'dlms' | 'asn1' | 'gbz';

export interface GbcsUseCase {
  readonly messageCode: number;
  readonly name: string;
  readonly title: string;
  readonly kind: 'command' | 'alert';
  readonly critical: boolean;
  readonly payload: PayloadEncoding;
  readonly deviceTypes: readonly DeviceType[];
  /** Device types to which the command goes in the ACB form (ACB originator, User in the supplementary fields). */
  readonly acbFormFor: readonly DeviceType[];
  readonly srvs: readonly string[];
  /**
   * False where trialsim does not produce GBCS-compatible bytes for it (gas: GBZ/ZCL is out of
   * the shared notes' scope). The decoder still names it.
   */
  readonly gbcsCompatible: boolean;
}

type Row = Omit<GbcsUseCase, 'acbFormFor' | 'gbcsCompatible'> &
  Partial<Pick<GbcsUseCase, 'acbFormFor' | 'gbcsCompatible'>>;

const ROWS: readonly Row[] = [
  {
    messageCode: 0x0001,
    name: 'CCS01',
    title: 'Add Device to CHF Device Log',
    kind: 'command',
    critical: false,
    payload: 'dlms',
    deviceTypes: ['CHF'],
    acbFormFor: ['CHF'],
    srvs: ['8.11'],
  },
  {
    messageCode: 0x0002,
    name: 'CCS02',
    title: 'Remove Device from CHF Device Log',
    kind: 'command',
    critical: false,
    payload: 'dlms',
    deviceTypes: ['CHF'],
    acbFormFor: ['CHF'],
    srvs: ['8.11'],
  },
  {
    messageCode: 0x0004,
    name: 'CCS05',
    title: 'Read CHF Device Log',
    kind: 'command',
    critical: false,
    payload: 'dlms',
    deviceTypes: ['CHF'],
    acbFormFor: ['CHF'],
    srvs: [],
  },
  {
    messageCode: 0x00fe,
    name: 'CCS07',
    title: 'Read CHF Device Log (other form)',
    kind: 'command',
    critical: false,
    payload: 'dlms',
    deviceTypes: ['CHF'],
    acbFormFor: ['CHF'],
    srvs: [],
  },
  {
    messageCode: 0x010f,
    name: 'CCS06',
    title: 'Read CHF Device Log and Check HAN Communications',
    kind: 'command',
    critical: false,
    payload: 'dlms',
    deviceTypes: ['CHF'],
    acbFormFor: ['CHF'],
    srvs: ['8.9'],
  },
  {
    messageCode: 0x0012,
    name: 'CS06',
    title: 'Activate Firmware',
    kind: 'command',
    critical: true,
    payload: 'asn1',
    deviceTypes: ['ESME', 'CHF', 'PPMID', 'HCALCS'],
    srvs: ['11.3'],
  },
  {
    messageCode: 0x0013,
    name: 'CS07',
    title: 'Read Device Join Details',
    kind: 'command',
    critical: false,
    payload: 'asn1',
    deviceTypes: ['ESME', 'GSME', 'PPMID', 'HCALCS', 'GPF'],
    srvs: ['8.9'],
  },
  {
    messageCode: 0x0015,
    name: 'CS11',
    title: 'Clear ZigBee Device Event Log',
    kind: 'command',
    critical: false,
    payload: 'asn1',
    deviceTypes: ['ESME', 'GSME', 'PPMID', 'HCALCS', 'GPF'],
    srvs: [],
  },
  {
    messageCode: 0x0018,
    name: 'CS14',
    title: 'Device Addition To / Removal From HAN Whitelist Alerts',
    kind: 'alert',
    critical: false,
    payload: 'dlms',
    deviceTypes: ['CHF'],
    srvs: [],
  },
  {
    messageCode: 0x0027,
    name: 'ECS17b',
    title: 'Read ESME Energy Registers (Import Energy)',
    kind: 'command',
    critical: false,
    payload: 'dlms',
    deviceTypes: ['ESME'],
    srvs: ['4.1.1'],
  },
  {
    messageCode: 0x0048,
    name: 'ECS35a',
    title: 'Read ESME Event Log',
    kind: 'command',
    critical: false,
    payload: 'dlms',
    deviceTypes: ['ESME'],
    srvs: ['6.13'],
  },
  {
    messageCode: 0x0049,
    name: 'ECS35b',
    title: 'Read ESME Security Log',
    kind: 'command',
    critical: false,
    payload: 'dlms',
    deviceTypes: ['ESME'],
    srvs: ['6.13'],
  },
  {
    messageCode: 0x0059,
    name: 'ECS52',
    title: 'Read ESME/Comms Hub Firmware Version',
    kind: 'command',
    critical: false,
    payload: 'dlms',
    deviceTypes: ['ESME', 'CHF'],
    acbFormFor: ['CHF'],
    srvs: ['11.2'],
  },
  {
    messageCode: 0x0062,
    name: 'ECS70',
    title: 'Set Clock on ESME',
    kind: 'command',
    critical: true,
    payload: 'dlms',
    deviceTypes: ['ESME'],
    srvs: ['8.1.1', '6.11'],
  },
  {
    messageCode: 0x007f,
    name: 'GCS28',
    title: 'Set Clock on GSME',
    kind: 'command',
    critical: true,
    payload: 'gbz',
    deviceTypes: ['GSME'],
    srvs: ['8.1.1', '6.11'],
    gbcsCompatible: false,
  },
  {
    messageCode: 0x0084,
    name: 'GCS38',
    title: 'Read GSME Firmware Version',
    kind: 'command',
    critical: false,
    payload: 'gbz',
    deviceTypes: ['GSME'],
    srvs: ['11.2'],
    gbcsCompatible: false,
  },
  {
    messageCode: 0x00b3,
    name: 'ECS04b',
    title: 'Reset Meter Balance on the ESME',
    kind: 'command',
    critical: true,
    payload: 'dlms',
    deviceTypes: ['ESME'],
    srvs: [],
  },
  {
    messageCode: 0x00ca,
    name: 'CS06 Alert',
    title: 'Future-Dated Firmware Activation Alert',
    kind: 'alert',
    critical: true,
    payload: 'asn1',
    deviceTypes: ['ESME', 'CHF', 'PPMID', 'HCALCS'],
    srvs: [],
  },
  {
    messageCode: 0x00cb,
    name: 'CS02b Alert',
    title: 'Future-Dated Update Security Credentials Alert',
    kind: 'alert',
    critical: true,
    payload: 'asn1',
    deviceTypes: ['ESME', 'GSME', 'CHF', 'PPMID', 'HCALCS', 'GPF'],
    srvs: [],
  },
  {
    messageCode: 0x00ce,
    name: 'FDRA ESME',
    title: 'Firmware Distribution Receipt Alert (ESME)',
    kind: 'alert',
    critical: true,
    payload: 'dlms',
    deviceTypes: ['ESME'],
    srvs: [],
  },
  {
    messageCode: 0x00cf,
    name: 'FDRA GSME',
    title: 'Firmware Distribution Receipt Alert (GSME)',
    kind: 'alert',
    critical: true,
    payload: 'gbz',
    deviceTypes: ['GSME'],
    srvs: [],
    gbcsCompatible: false,
  },
  {
    messageCode: 0x0102,
    name: 'CS02b',
    title: 'Update Security Credentials (supplierBySupplier)',
    kind: 'command',
    critical: true,
    payload: 'asn1',
    deviceTypes: ['ESME', 'GSME', 'CHF', 'PPMID', 'HCALCS', 'GPF'],
    srvs: ['6.15.1'],
  },
  {
    messageCode: 0x0103,
    name: 'CS02b',
    title: 'Update Security Credentials (networkOperatorByNetworkOperator)',
    kind: 'command',
    critical: true,
    payload: 'asn1',
    deviceTypes: ['ESME', 'GSME', 'CHF', 'PPMID', 'HCALCS', 'GPF'],
    srvs: ['6.15.1'],
  },
  {
    messageCode: 0x0107,
    name: 'CS02b',
    title: 'Update Security Credentials (supplierByTransCoS)',
    kind: 'command',
    critical: true,
    payload: 'asn1',
    deviceTypes: ['ESME', 'GSME', 'CHF', 'PPMID', 'HCALCS', 'GPF'],
    srvs: ['6.23'],
  },
  {
    messageCode: 0x0128,
    name: 'CCS08',
    title: 'Firmware Transfer Alert',
    kind: 'alert',
    critical: true,
    payload: 'asn1',
    deviceTypes: ['CHF'],
    srvs: [],
  },
  {
    messageCode: 0x0129,
    name: 'CS08',
    title: 'Read PPMID/HCALCS Firmware Version',
    kind: 'command',
    critical: false,
    payload: 'asn1',
    deviceTypes: ['PPMID', 'HCALCS'],
    acbFormFor: ['PPMID', 'HCALCS'],
    srvs: ['11.2'],
  },
  {
    messageCode: 0x1000,
    name: 'GCA',
    title: 'Generic Critical Alert',
    kind: 'alert',
    critical: true,
    payload: 'dlms',
    deviceTypes: ['ESME', 'CHF'],
    srvs: [],
  },
  {
    messageCode: 0x1001,
    name: 'GNCA',
    title: 'Generic Non-Critical Alert',
    kind: 'alert',
    critical: false,
    payload: 'dlms',
    deviceTypes: ['ESME', 'CHF'],
    srvs: [],
  },
];

export const GBCS_USE_CASES: readonly GbcsUseCase[] = Object.freeze(
  ROWS.map((row) => Object.freeze({ acbFormFor: [], gbcsCompatible: true, ...row })),
);

const BY_CODE = new Map(GBCS_USE_CASES.map((u) => [u.messageCode, u]));

export function useCaseByCode(messageCode: number): GbcsUseCase | undefined {
  return BY_CODE.get(messageCode);
}

/** The use case an SRV maps to on a device type, e.g. ('11.2', 'CHF') → ECS52 (ACB form). */
export function useCasesForSrv(srv: string, deviceType: DeviceType): readonly GbcsUseCase[] {
  return GBCS_USE_CASES.filter((u) => u.srvs.includes(srv) && u.deviceTypes.includes(deviceType));
}

/**
 * The SRV a device should attribute a received message code to, for a device type: the first
 * catalogue SRV of that use case (11.2 for ECS52, 8.1.1 for ECS70, 6.15.1 for 0x0102/0x0103).
 * Undefined for alerts and for use cases no SRV sends.
 */
export function srvForUseCase(messageCode: number, deviceType: DeviceType): string | undefined {
  const useCase = BY_CODE.get(messageCode);
  if (useCase === undefined || !useCase.deviceTypes.includes(deviceType)) return undefined;
  return useCase.srvs[0];
}

/** `0x0059`: the form the decoder and the evidence print message codes in. */
export function formatMessageCode(messageCode: number): string {
  return `0x${messageCode.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Whether the command goes out in the ACB form to this device type (§5.3). */
export function usesAcbForm(useCase: GbcsUseCase, deviceType: DeviceType): boolean {
  return useCase.acbFormFor.includes(deviceType);
}
