import { describe, expect, it } from 'vitest';
import { alertRoute } from '../../../../../../simulator/domain/gbcs/use-cases/alert-routing.js';
import {
  formatMessageCode,
  GBCS_USE_CASES,
  srvForUseCase,
  useCaseByCode,
  useCasesForSrv,
  usesAcbForm,
} from '../../../../../../simulator/domain/gbcs/use-cases/use-case-catalogue.js';

describe('GBCS use-case catalogue', () => {
  it('message codes are unique', () => {
    const codes = GBCS_USE_CASES.map((u) => u.messageCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('11.2 maps by device type: ECS52 to an ESME, ECS52 in the ACB form to a CHF, CS08 to a PPMID', () => {
    const [esme] = useCasesForSrv('11.2', 'ESME');
    const [chf] = useCasesForSrv('11.2', 'CHF');
    const [ppmid] = useCasesForSrv('11.2', 'PPMID');
    expect(esme?.name).toBe('ECS52');
    expect(esme && usesAcbForm(esme, 'ESME')).toBe(false);
    expect(chf?.name).toBe('ECS52');
    expect(chf && usesAcbForm(chf, 'CHF')).toBe(true);
    expect(ppmid?.name).toBe('CS08');
  });

  it('the suite SRVs map to the use cases of GBCS.md §3', () => {
    const names = (srv: string, type: 'ESME' | 'CHF') => useCasesForSrv(srv, type).map((u) => u.name);
    expect(names('8.1.1', 'ESME')).toEqual(['ECS70']);
    expect(names('4.1.1', 'ESME')).toEqual(['ECS17b']);
    expect(names('6.13', 'ESME')).toEqual(['ECS35a', 'ECS35b']);
    expect(names('8.11', 'CHF')).toEqual(['CCS01', 'CCS02']);
    expect(names('8.9', 'CHF')).toEqual(['CCS06']);
    expect(names('8.9', 'ESME')).toEqual(['CS07']);
    expect(names('11.3', 'ESME')).toEqual(['CS06']);
    expect(names('6.23', 'ESME')).toEqual(['CS02b']);
  });

  it('critical use cases are exactly the signed ones of GBCS.md §2.1 and §5.5', () => {
    const critical = GBCS_USE_CASES.filter((u) => u.critical).map((u) => formatMessageCode(u.messageCode));
    expect(critical).toEqual(
      expect.arrayContaining([
        '0x0062',
        '0x0012',
        '0x0102',
        '0x0107',
        '0x1000',
        '0x00CA',
        '0x00CB',
        '0x00CE',
        '0x0128',
      ]),
    );
    for (const code of [0x0059, 0x0027, 0x0048, 0x0001, 0x010f, 0x0013, 0x1001]) {
      expect(useCaseByCode(code)?.critical).toBe(false);
    }
  });

  it('gas use cases are marked not GBCS-compatible', () => {
    expect(GBCS_USE_CASES.filter((u) => u.payload === 'gbz').every((u) => !u.gbcsCompatible)).toBe(true);
  });

  it('srvForUseCase gives the service for a received message code', () => {
    expect(srvForUseCase(0x0059, 'CHF')).toBe('11.2');
    expect(srvForUseCase(0x0103, 'ESME')).toBe('6.15.1');
    expect(srvForUseCase(0x1000, 'ESME')).toBeUndefined();
    expect(srvForUseCase(0x0027, 'CHF')).toBeUndefined();
  });
});

describe('alert routing (GBCS.md §5.5, policy of §11)', () => {
  it('firmware verification alerts travel as FDRA 0x00CE, critical, to the Supplier', () => {
    expect(alertRoute(0x8f72)).toEqual({ messageCode: 0x00ce, critical: true, recipient: 'supplier' });
    expect(alertRoute(0x8f1c).messageCode).toBe(0x00ce);
  });

  it('firmware transfer alerts are CCS08 from the CHF to the ACB', () => {
    expect(alertRoute(0x8f8a)).toEqual({ messageCode: 0x0128, critical: true, recipient: 'acb' });
  });

  it('future-dated outcomes use 0x00CA after CS06 and 0x00CB after CS02b', () => {
    expect(alertRoute(0x8f66, 'CS06').messageCode).toBe(0x00ca);
    expect(alertRoute(0x8f67, 'CS02b').messageCode).toBe(0x00cb);
  });

  it('security alerts are Generic Critical Alerts; any other code a Generic Non-Critical Alert', () => {
    for (const code of [0x8f30, 0x8f3d, 0x8f3e, 0x8f1e])
      expect(alertRoute(code)).toMatchObject({ messageCode: 0x1000, critical: true });
    expect(alertRoute(0x810e)).toEqual({ messageCode: 0x1001, critical: false, recipient: 'supplier' });
  });
});
