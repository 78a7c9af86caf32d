/** DUIS DeviceType values and GBCS device type integers (DCC.md §6). */
export const DEVICE_TYPES = ['ESME', 'GSME', 'CHF', 'GPF', 'PPMID', 'HCALCS', 'IHD', 'CAD'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export const GBCS_DEVICE_TYPE_CODES: Readonly<Record<DeviceType, number>> = {
  GSME: 0,
  ESME: 1,
  CHF: 2,
  GPF: 3,
  HCALCS: 4,
  PPMID: 5,
  IHD: 6,
  CAD: 6,
};

/** Type 2 devices (IHD, CAD) have no SMI status: the DCC does not manage them (DCC.md §4). */
export function isType2(type: DeviceType): boolean {
  return type === 'IHD' || type === 'CAD';
}

/** Device types that sit on a comms hub's HAN and must be whitelisted on its CHF (8.11). */
export function joinsHan(type: DeviceType): boolean {
  return type !== 'CHF' && type !== 'GPF';
}
