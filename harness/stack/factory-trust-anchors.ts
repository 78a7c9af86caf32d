import type { Eui, TrustAnchorCell } from '../../simulator/domain/index.js';
import type { OrganisationCredentials, TestPki } from '../../simulator/pki/index.js';
import type { DeviceSpec } from './device-spec.js';

/**
 * The trust anchors a device leaves the factory with: root, recovery, the ordering supplier,
 * the network operator, the ACB, the WAN provider and the CoS party (DCC.md §7).
 */
export function factoryTrustAnchors(pki: TestPki, spec: DeviceSpec): TrustAnchorCell[] {
  const cells: TrustAnchorCell[] = [
    {
      role: 'root',
      keyUsage: 'digitalSignature',
      cellUsage: 'management',
      eui: '00-00-00-00-00-00-00-00' as Eui,
      publicKey: pki.root.keys.publicKey,
    },
  ];
  const add = (org: OrganisationCredentials) => {
    cells.push({
      role: org.role,
      keyUsage: 'digitalSignature',
      cellUsage: 'management',
      eui: org.eui,
      publicKey: org.ds.keys.publicKey,
    });
    cells.push({
      role: org.role,
      keyUsage: 'keyAgreement',
      cellUsage: 'management',
      eui: org.eui,
      publicKey: org.ka.keys.publicKey,
    });
  };
  for (const name of [spec.supplier, spec.networkOperator, 'acb', 'wan-provider', 'cos-party', 'recovery']) {
    add(pki.organisation(name));
  }
  return cells;
}

/**
 * One trust-anchor table per (supplier, network operator) pair. Device state is immutable, so
 * devices with the same owners can share the table: a fleet of 100,000 needs a handful, not
 * 100,000 copies.
 */
export class FactoryTrustAnchorTables {
  private readonly tables = new Map<string, TrustAnchorCell[]>();

  constructor(private readonly pki: TestPki) {}

  for(spec: DeviceSpec): TrustAnchorCell[] {
    const key = `${spec.supplier}\u0000${spec.networkOperator}`;
    let table = this.tables.get(key);
    if (table === undefined) {
      table = factoryTrustAnchors(this.pki, spec);
      this.tables.set(key, table);
    }
    return table;
  }
}
