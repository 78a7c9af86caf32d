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
 * moved a device. 12.2 creates a record as Pending (history `from: null`), outside this table.
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
    // 8.14.x: the comms hub's own status at install and return (CHF only; UNCONFIRMED in detail).
    '8.14.1': { from: ['Pending', 'Whitelisted', 'InstalledNotCommissioned'], to: 'Commissioned' },
    '8.14.2': { from: ['Pending', 'Whitelisted'], to: 'InstalledNotCommissioned' },
    '8.14.3': {
      from: ['Pending', 'Whitelisted', 'InstalledNotCommissioned', 'Commissioned', 'Suspended'],
      to: 'Withdrawn',
    },
    '8.14.4': {
      from: ['Pending', 'Whitelisted', 'InstalledNotCommissioned', 'Commissioned', 'Suspended'],
      to: 'Withdrawn',
    },
    '8.3': { from: ['Commissioned', 'Suspended', 'InstalledNotCommissioned'], to: 'Decommissioned' },
    // DCC.md §4: a device whose (model, firmware) leaves / returns to an Active CPL entry.
    DeviceSuspended: { from: ['Commissioned'], to: 'Suspended' },
    DeviceRestored: { from: ['Suspended'], to: 'Commissioned' },
  });

export type SmiTransitionCause = keyof typeof SMI_TRANSITIONS;

export function canTransition(cause: string, from: SmiStatus): boolean {
  const rule = SMI_TRANSITIONS[cause];
  return rule?.from.includes(from) ?? false;
}
