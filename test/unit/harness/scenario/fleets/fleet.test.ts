import { describe, expect, it } from 'vitest';
import { euiPlus, expandFleet } from '../../../../../harness/scenario/fleets/fleet-expansion.js';
import { FLEET_PROCEDURES } from '../../../../../harness/scenario/fleets/fleet-procedures.js';
import { fleetSchema } from '../../../../../harness/scenario/fleets/fleet-schema.js';
import { selectFleetDevices } from '../../../../../harness/scenario/fleets/fleet-selection.js';
import { instantiateStep } from '../../../../../harness/scenario/fleets/fleet-templates.js';
import { stepSchema } from '../../../../../harness/scenario/scenario-schema.js';
import type { Eui } from '../../../../../simulator/domain/eui.js';

const fleet = (overrides: Record<string, unknown> = {}) =>
  fleetSchema.parse({
    id: 'home',
    count: 12,
    model: 'acme-trial-esme',
    firstEui: '00-12-4b-00-00-10-00-fe',
    ...overrides,
  });

describe('fleets: many devices declared in one entry', () => {
  it('ids are zero-padded positions and EUIs count up across octets', () => {
    const { hubs, meters } = expandFleet(fleet());
    expect(hubs).toEqual([]);
    expect(meters.map((m) => m.id).slice(0, 2)).toEqual(['home-001', 'home-002']);
    expect(meters.at(-1)?.id).toBe('home-012');
    expect(meters.map((m) => m.eui).slice(0, 3)).toEqual([
      '00-12-4B-00-00-10-00-FE',
      '00-12-4B-00-00-10-00-FF',
      '00-12-4B-00-00-10-01-00',
    ]);
  });

  it('commsHubs gives every meter its own preinstalled hub, which the meter joins', () => {
    const { hubs, meters } = expandFleet(
      fleet({ count: 2, commsHubs: { model: 'acme-comms-hub', firstEui: '00-12-4B-00-00-20-00-01' } }),
    );
    expect(hubs.map((h) => [h.id, h.eui, h.preinstalled])).toEqual([
      ['home-001-chf', '00-12-4B-00-00-20-00-01', true],
      ['home-002-chf', '00-12-4B-00-00-20-00-02', true],
    ]);
    expect(meters.map((m) => m.chf)).toEqual(['home-001-chf', 'home-002-chf']);
  });

  it('a fleet takes one shared chf or its own commsHubs, not both', () => {
    expect(() =>
      fleet({ chf: 'chf1', commsHubs: { model: 'acme-comms-hub', firstEui: '00-12-4B-00-00-20-00-01' } }),
    ).toThrow(/either one shared chf or commsHubs/);
  });

  it('counting past the last EUI-64 is refused', () => {
    expect(() => euiPlus('FF-FF-FF-FF-FF-FF-FF-FF' as Eui, 1)).toThrow(/past the last EUI-64/);
  });

  it('selection expands fleets in order and keeps positions from..to', () => {
    const fleets = new Map([
      ['a', ['a-001', 'a-002', 'a-003']],
      ['b', ['b-001']],
    ]);
    const devices = new Set(['x']);
    expect(selectFleetDevices({ devices: ['b', 'a', 'x'] }, fleets, devices)).toEqual({
      ok: true,
      ids: ['b-001', 'a-001', 'a-002', 'a-003', 'x'],
    });
    expect(selectFleetDevices({ devices: 'a', from: 2, to: 3 }, fleets, devices)).toEqual({
      ok: true,
      ids: ['a-002', 'a-003'],
    });
    expect(selectFleetDevices({ devices: 'a', to: 4 }, fleets, devices)).toMatchObject({ ok: false });
    expect(selectFleetDevices({ devices: 'zz' }, fleets, devices)).toMatchObject({ ok: false });
  });

  it('a template step gets the device (and party) wherever it leaves them out, and nowhere else', () => {
    const send = instantiateStep(
      { send: { srv: '8.3' }, expect: { response: 'I0' } },
      { device: 'home-007', as: 'supplier-b' },
    );
    expect(send).toEqual({
      send: { srv: '8.3', device: 'home-007', as: 'supplier-b' },
      expect: { response: 'I0' },
    });
    const check = instantiateStep(
      { expect: { smi: { status: 'Suspended' }, trial: { trialId: 'T-1', ended: true } } },
      { device: 'home-007', as: 'supplier-a' },
    );
    expect(check).toEqual({
      expect: { smi: { status: 'Suspended', device: 'home-007' }, trial: { trialId: 'T-1', ended: true } },
    });
    const explicit = instantiateStep(
      { send: { srv: '4.1.1', as: 'network-operator', device: 'other' } },
      { device: 'home-007', as: 'supplier-a' },
    );
    expect(explicit).toEqual({ send: { srv: '4.1.1', as: 'network-operator', device: 'other' } });
  });

  it('every built-in procedure is made of valid steps once a device is filled in', () => {
    for (const [name, procedure] of Object.entries(FLEET_PROCEDURES)) {
      for (const chf of [undefined, 'hub']) {
        for (const template of procedure.steps({ chf })) {
          const result = stepSchema.safeParse(instantiateStep(template, { device: 'd', as: 'supplier-a' }));
          expect(result.success, `${name}: ${JSON.stringify(template)}`).toBe(true);
        }
      }
    }
  });

  it('commissioning skips 8.11 for a meter with no comms hub to join', () => {
    const srvs = (chf: string | undefined) =>
      FLEET_PROCEDURES.commission
        .steps({ chf })
        .flatMap((s) => ((s.send as { srv?: string })?.srv ? [(s.send as { srv: string }).srv] : []));
    expect(srvs('hub')).toEqual(['12.2', '8.11', '8.4', '8.1.1']);
    expect(srvs(undefined)).toEqual(['12.2', '8.4', '8.1.1']);
  });
});
