import type { Eui } from '../eui.js';
import type { RemotePartyRole } from '../smki/remote-party-roles.js';

/**
 * Trust anchor cells (DCC.md §7): each holds one remote party's certificate for one key usage
 * and one cell usage. A device trusts a command only through one of these.
 */
export type KeyUsage = 'digitalSignature' | 'keyAgreement';
export type CellUsage = 'management' | 'prepaymentTopUp';

export interface TrustAnchorCell {
  readonly role: RemotePartyRole;
  readonly keyUsage: KeyUsage;
  readonly cellUsage: CellUsage;
  readonly eui: Eui;
  readonly publicKey: Uint8Array;
}

export function findCell(
  cells: readonly TrustAnchorCell[],
  eui: Eui,
  keyUsage: KeyUsage,
): TrustAnchorCell | undefined {
  return cells.find(
    (cell) => cell.eui === eui && cell.keyUsage === keyUsage && cell.cellUsage === 'management',
  );
}

export function cellFor(
  cells: readonly TrustAnchorCell[],
  role: RemotePartyRole,
  keyUsage: KeyUsage,
): TrustAnchorCell | undefined {
  return cells.find(
    (cell) => cell.role === role && cell.keyUsage === keyUsage && cell.cellUsage === 'management',
  );
}
