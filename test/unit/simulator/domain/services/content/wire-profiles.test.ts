import { describe, expect, it } from 'vitest';
import { useCaseByCode } from '../../../../../../simulator/domain/gbcs/use-cases/use-case-catalogue.js';
import {
  gbcsAlertContentFor,
  gbcsContentFor,
} from '../../../../../../simulator/domain/services/content/wire-content.js';
import {
  useCaseWireProfile,
  wireProfiles,
} from '../../../../../../simulator/domain/services/content/wire-profiles.js';

const rows = wireProfiles();
const code = (text: string | undefined) => Number.parseInt(text ?? 'NaN', 16);

describe('wire profiles: which device messages are byte-compatible with RTDS (GBCS.md §0)', () => {
  it('lists as gbcs exactly the ESME and comms-hub use cases whose GBCS payload trialsim writes', () => {
    const gbcs = new Set(
      rows.filter((r) => r.profile === 'gbcs').map((r) => `${r.srv} ${r.deviceType} ${r.useCase}`),
    );
    expect([...gbcs].sort()).toEqual(
      [
        '11.2 ESME ECS52',
        '11.2 PPMID CS08',
        '11.2 HCALCS CS08',
        '8.1.1 ESME ECS70',
        '4.1.1 ESME ECS17b',
        '6.13 ESME ECS35a',
        '6.13 ESME ECS35b',
        '8.11 CHF CCS01',
        '8.11 CHF CCS02',
        '8.9 CHF CCS06',
        '8.9 GPF CS07',
        '11.3 ESME CS06',
        '11.3 PPMID CS06',
        '11.3 HCALCS CS06',
        // 6.15.1 (0x0102, 0x0103) and 6.23 on every HAN device type that holds Supplier cells:
        // CS02b is a common use case, and both carry the SMKI certificates whole.
        '6.15.1 ESME CS02b',
        '6.15.1 GSME CS02b',
        '6.15.1 GPF CS02b',
        '6.15.1 PPMID CS02b',
        '6.15.1 HCALCS CS02b',
        '6.23 ESME CS02b',
        '6.23 GSME CS02b',
        '6.23 GPF CS02b',
        '6.23 PPMID CS02b',
        '6.23 HCALCS CS02b',
        'alert ESME GCA',
        'alert CHF GCA',
        'alert ESME FDRA ESME',
        'alert CHF CCS08',
        'alert ESME CS06 Alert',
        'alert CHF CS06 Alert',
        'alert PPMID CS06 Alert',
        'alert HCALCS CS06 Alert',
        // 0x00CB, a future-dated CS02b's outcome, on every device type that takes CS02b.
        'alert ESME CS02b Alert',
        'alert GSME CS02b Alert',
        'alert CHF CS02b Alert',
        'alert PPMID CS02b Alert',
        'alert HCALCS CS02b Alert',
        'alert GPF CS02b Alert',
      ].sort(),
    );
  });

  it('a gbcs row always has a payload form and a GBCS (not GBZ) use case behind it', () => {
    for (const row of rows.filter((r) => r.profile === 'gbcs')) {
      const form =
        row.srv === 'alert'
          ? gbcsAlertContentFor(code(row.messageCode))
          : gbcsContentFor(code(row.messageCode));
      expect(form, row.useCase).toBeDefined();
      expect(useCaseByCode(code(row.messageCode))?.payload).not.toBe('gbz');
    }
  });

  it('never presents a gas message as GBCS-compatible: every GBZ row (GSME, GPF) is trialsim, with its reason', () => {
    const gas = rows.filter((r) => r.deviceType === 'GSME' || r.deviceType === 'GPF');
    expect(gas.length).toBeGreaterThan(0);
    for (const row of gas) {
      // CS07 to a GPF and CS02b (and its 0x00CB alert) to a GSME or GPF are ASN.1 DER (GBCS.md
      // §6.2, §7.6, §7.8): common use cases, not GBZ payloads.
      if (row.useCase === 'CS07' || row.useCase === 'CS02b' || row.useCase === 'CS02b Alert') continue;
      expect(row.profile, `${row.srv} ${row.deviceType} ${row.useCase}`).toBe('trialsim');
      expect(row.reason).toMatch(/\w/);
    }
    expect(rows.find((r) => r.srv === '8.9' && r.deviceType === 'GPF')?.profile).toBe('gbcs');
    for (const row of rows.filter((r) => useCaseByCode(code(r.messageCode))?.payload === 'gbz'))
      expect(row.profile, `${row.srv} ${row.deviceType} ${row.useCase}`).toBe('trialsim');
    expect(useCaseWireProfile(0x007f)).toBe('trialsim');
    expect(useCaseWireProfile(0x0084)).toBe('trialsim');
  });

  it('every trialsim row says why, and the SRVs GBCS has no command for are listed without a use case', () => {
    for (const row of rows.filter((r) => r.profile === 'trialsim'))
      expect(row.reason, `${row.srv} ${row.deviceType}`).toMatch(/\w/);
    expect(rows.find((r) => r.srv === '11.1' && r.deviceType === 'ESME')).toMatchObject({
      useCase: undefined,
      profile: 'trialsim',
    });
    // 4.1.1 carries ECS17b with the registers encrypted for the User (GBCS.md §4.3, §7.2).
    expect(rows.find((r) => r.srv === '4.1.1' && r.deviceType === 'ESME')).toMatchObject({
      useCase: 'ECS17b',
      messageCode: '0x0027',
      profile: 'gbcs',
    });
    expect(rows.find((r) => r.srv === '4.1.1' && r.deviceType === 'ESME')).not.toHaveProperty('reason');
    // 6.15.1's CS02b carries the User's replacement certificates in both modes trialsim maps.
    expect(
      rows
        .filter((r) => r.srv === '6.15.1' && r.deviceType === 'ESME')
        .map((r) => [r.messageCode, r.profile]),
    ).toEqual([
      ['0x0102', 'gbcs'],
      ['0x0103', 'gbcs'],
    ]);
  });
});
