/** DCC User roles (DCC.md §1). */
export const USER_ROLES = ['IS', 'ES', 'GS', 'RSA', 'ED', 'GT', 'OU'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const USER_ROLE_NAMES: Readonly<Record<UserRole, string>> = {
  IS: 'Import Supplier',
  ES: 'Export Supplier',
  GS: 'Gas Supplier',
  RSA: 'Registered Supplier Agent',
  ED: 'Electricity Distributor',
  GT: 'Gas Transporter',
  OU: 'Other User',
};

export const SUPPLIER_ROLES: readonly UserRole[] = ['IS', 'GS'];
export const NETWORK_OPERATOR_ROLES: readonly UserRole[] = ['ED', 'GT'];
