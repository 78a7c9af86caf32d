import { describe, expect, it } from 'vitest';
import { SRV_CATALOGUE } from '../../../../../simulator/domain/duis/srv-catalogue.js';
import { SERVICE_CATALOGUE } from '../../../../../simulator/domain/services/service-catalogue.js';

/** One module per service (services/): the catalogue and the DUIS eligibility table agree. */
describe('service catalogue', () => {
  it('every SRV trialsim implements has exactly one service module, and no module serves an SRV it does not', () => {
    const implemented = [...SRV_CATALOGUE.values()].filter((d) => d.implemented).map((d) => d.srv);
    expect([...SERVICE_CATALOGUE.keys()].sort()).toEqual(implemented.sort());
  });

  it('a non-device SR has a DCC handler; a device SR is executed by the device and mapped to GBCS', () => {
    for (const def of SRV_CATALOGUE.values()) {
      if (!def.implemented) continue;
      const service = SERVICE_CATALOGUE.get(def.srv);
      if (def.nonDevice) {
        expect(service?.dcc.nonDevice, def.srv).toBeDefined();
      } else {
        expect(service?.device, def.srv).toBeDefined();
        expect(service?.gbcs, def.srv).toBeDefined();
        expect(service?.dcc.nonDevice, def.srv).toBeUndefined();
      }
    }
  });

  it('a command that reaches a device after a non-device SR (a follow-up) is one the device executes', () => {
    for (const service of SERVICE_CATALOGUE.values()) {
      if (service.dcc.followUp !== undefined) expect(service.device, service.srv).toBeDefined();
    }
  });

  it('a DUIS-critical SR is critical on the device too (6.23 is critical on the device only)', () => {
    for (const def of SRV_CATALOGUE.values()) {
      const device = SERVICE_CATALOGUE.get(def.srv)?.device;
      if (device === undefined || !def.implemented) continue;
      if (def.critical) expect(device.critical, def.srv).toBe(true);
    }
    expect(SERVICE_CATALOGUE.get('6.23')?.device?.critical).toBe(true);
    expect(SRV_CATALOGUE.get('6.23')?.critical).toBe(false);
  });

  it('only the CoS party may send the 6.23 replacement; only suppliers commission or activate firmware', () => {
    expect(SERVICE_CATALOGUE.get('6.23')?.device?.authority).toEqual(['transitionalCoS']);
    expect(SERVICE_CATALOGUE.get('8.1.1')?.device?.authority).toEqual(['supplier']);
    expect(SERVICE_CATALOGUE.get('11.3')?.device?.authority).toEqual(['supplier']);
  });
});
