import { describe, expect, it } from 'vitest';
import {
  allowedCommandVariants,
  lookupSrv,
  SRV_CATALOGUE,
} from '../../../../../simulator/domain/duis/srv-catalogue.js';
import { lookupService } from '../../../../../simulator/domain/services/service-catalogue.js';

/** DCC.md §2's table, copied by hand: the catalogue must say the same. */
const DCC_MD: readonly [srv: string, critical: boolean, nonDevice: boolean, roles: string][] = [
  ['12.2', false, true, 'IS ES GS RSA ED GT OU'],
  ['8.2', false, true, 'IS ES GS RSA ED GT OU'],
  ['8.4', false, true, 'IS ES GS RSA ED GT OU'],
  ['8.11', false, false, 'IS GS OU'],
  ['8.7.1', true, false, 'IS GS'],
  ['8.7.2', false, false, 'IS GS OU'],
  ['8.8.1', true, false, 'IS GS'],
  ['8.8.2', false, false, 'IS GS OU'],
  ['8.9', false, false, 'IS GS OU'],
  ['8.1.1', true, false, 'IS GS'],
  ['8.3', false, true, 'IS GS'],
  ['8.14.1', false, true, 'IS GS'],
  ['8.14.2', false, true, 'IS GS'],
  ['8.14.3', false, true, 'IS GS'],
  ['8.14.4', false, true, 'IS GS'],
  ['6.15.1', true, false, 'IS GS ED GT'],
  ['6.21', false, false, 'IS GS'],
  ['6.23', false, false, 'IS GS'],
  ['6.24.1', false, false, 'IS GS ED GT'],
  ['6.13', false, false, 'IS GS ED GT RSA'],
  ['3.2', false, false, 'IS GS'],
  ['11.1', false, true, 'IS GS'],
  ['11.2', false, false, 'IS ES GS RSA ED GT OU'],
  ['11.3', true, false, 'IS GS'],
  ['4.1.1', false, false, 'IS GS ED GT'],
];

describe('SRV catalogue (DCC.md §2) as data', () => {
  for (const [srv, critical, nonDevice, roles] of DCC_MD) {
    it(`${srv} - critical ${critical}, non-device ${nonDevice}, roles ${roles}`, () => {
      const def = lookupSrv(srv);
      expect(def).toBeDefined();
      expect(def?.critical).toBe(critical);
      expect(def?.nonDevice).toBe(nonDevice);
      expect([...(def?.roles ?? [])].sort()).toEqual(roles.split(' ').sort());
      expect(allowedCommandVariants(def as NonNullable<typeof def>)).toEqual(
        nonDevice ? [8] : critical ? [4, 5] : [1],
      );
    });
  }

  it('holds nothing DCC.md §2 does not list', () => {
    expect([...SRV_CATALOGUE.keys()].sort()).toEqual(DCC_MD.map(([srv]) => srv).sort());
  });

  it('every implemented non-device SRV has a DCC handler', () => {
    for (const def of SRV_CATALOGUE.values()) {
      if (def.nonDevice && def.implemented)
        expect(lookupService(def.srv)?.dcc.nonDevice, def.srv).toBeDefined();
    }
  });

  it('the SRVs trialsim does not model are marked so (E12 TRIALSIM-NOT-IMPLEMENTED)', () => {
    const notModelled = [...SRV_CATALOGUE.values()].filter((d) => !d.implemented).map((d) => d.srv);
    expect(notModelled.sort()).toEqual(['3.2', '6.21', '6.24.1', '8.7.1', '8.7.2', '8.8.1', '8.8.2']);
  });

  it('an unknown SRV is not in the catalogue', () => {
    expect(lookupSrv('9.99')).toBeUndefined();
  });
});
