/**
 * SMKI remote party roles (DCC.md §7). A device's trust anchor cells and an organisation
 * certificate's subject `OU` both carry the role as this numeric code.
 */
export type RemotePartyRole =
  | 'root'
  | 'recovery'
  | 'supplier'
  | 'networkOperator'
  | 'accessControlBroker'
  | 'transitionalCoS'
  | 'wanProvider'
  | 'issuingAuthority'
  | 'loadController'
  | 'other';

export const REMOTE_PARTY_ROLE_CODES: Readonly<Record<RemotePartyRole, number>> = Object.freeze({
  root: 0,
  recovery: 1,
  supplier: 2,
  networkOperator: 3,
  accessControlBroker: 4,
  transitionalCoS: 5,
  wanProvider: 6,
  issuingAuthority: 7,
  loadController: 8,
  other: 127,
});

const ROLES_BY_CODE: ReadonlyMap<number, RemotePartyRole> = new Map(
  (Object.entries(REMOTE_PARTY_ROLE_CODES) as [RemotePartyRole, number][]).map(([role, code]) => [
    code,
    role,
  ]),
);

/** The role code as an organisation certificate's `OU` writes it: two upper-case hex digits (`02`). */
export function roleCodeHex(role: RemotePartyRole): string {
  return REMOTE_PARTY_ROLE_CODES[role].toString(16).padStart(2, '0').toUpperCase();
}

/** The role for a code, or `undefined` for a code SMKI does not define. */
export function roleFromCode(code: number): RemotePartyRole | undefined {
  return ROLES_BY_CODE.get(code);
}
