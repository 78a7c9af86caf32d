/** Smart Metering Inventory statuses (DCC.md §4). */
export const SMI_STATUSES = [
  'Pending',
  'Whitelisted',
  'InstalledNotCommissioned',
  'Commissioned',
  'Decommissioned',
  'Withdrawn',
  'Suspended',
  'Recovery',
  'Recovered',
] as const;
export type SmiStatus = (typeof SMI_STATUSES)[number];

/**
 * The transitions trialsim allows, as frozen data (DCC.md §4; the order is inferred there and
 * UNCONFIRMED in detail). The key is the cause, so the evidence can say which SRV or DCC rule
 * moved a device.
 */
export const SMI_TRANSITIONS: Readonly<Record<string, { from: readonly SmiStatus[]; to: SmiStatus }>> =
  Object.freeze({
    '8.11 add': { from: ['Pending'], to: 'Whitelisted' },
    '8.4 InstalledNotCommissioned': {
      from: ['Pending', 'Whitelisted', 'InstalledNotCommissioned'],
      to: 'InstalledNotCommissioned',
    },
    '8.4 Pending': { from: ['Pending', 'Whitelisted', 'InstalledNotCommissioned'], to: 'Pending' },
    '8.1.1': { from: ['InstalledNotCommissioned'], to: 'Commissioned' },
    '8.3': { from: ['Commissioned', 'Suspended', 'InstalledNotCommissioned'], to: 'Decommissioned' },
    DeviceSuspended: { from: ['Commissioned'], to: 'Suspended' },
    DeviceRestored: { from: ['Suspended'], to: 'Commissioned' },
  });

export type SmiTransitionCause = keyof typeof SMI_TRANSITIONS;

export function canTransition(cause: string, from: SmiStatus): boolean {
  const rule = SMI_TRANSITIONS[cause];
  return rule?.from.includes(from) ?? false;
}
