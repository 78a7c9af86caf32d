import { describe, expect, it } from 'vitest';
import { addCplEntry, setCplStatus } from '../../../../../simulator/domain/dcc/trial-administration.js';
import type { Eui } from '../../../../../simulator/domain/eui.js';
import { applyTransition } from '../../../../../simulator/domain/smi/smi-record.js';
import {
  canTransition,
  SMI_STATUSES,
  SMI_TRANSITIONS,
  type SmiStatus,
} from '../../../../../simulator/domain/smi/smi-status.js';
import {
  CERTIFIED_MODEL,
  CHF,
  CHF_MODEL,
  type DccHarness,
  esmeEui,
  newHarness,
  putDevice,
  SUPPLIER_A,
  TRIAL_MODEL,
} from '../../../../support/dcc-fixture.js';

const ESME = esmeEui(1);

describe('SMI transition table (DCC.md §4)', () => {
  for (const [cause, rule] of Object.entries(SMI_TRANSITIONS)) {
    for (const from of SMI_STATUSES) {
      const allowed = rule.from.includes(from);
      it(`${cause}: ${from} → ${allowed ? rule.to : 'refused'}`, () => {
        const h = newHarness();
        const record = putDevice(h.state, ESME, from);
        const historyBefore = record.history.length;
        expect(canTransition(cause, from)).toBe(allowed);
        expect(applyTransition(record, cause, 1234)).toBe(allowed);
        expect(record.status).toBe(allowed ? rule.to : from);
        expect(record.history.length).toBe(historyBefore + (allowed ? 1 : 0));
        if (allowed) expect(record.history.at(-1)).toEqual({ at: 1234, from, to: rule.to, cause });
      });
    }
  }

  it('a Type 2 device (no SMI status) never moves', () => {
    const h = newHarness();
    const record = putDevice(h.state, ESME, 'Pending');
    record.status = null;
    for (const cause of Object.keys(SMI_TRANSITIONS)) expect(applyTransition(record, cause, 1)).toBe(false);
    expect(record.status).toBeNull();
  });
});

/** Each transition as the DCC makes it, driven through DccCore by its SRV or rule. */
interface Driven {
  readonly title: string;
  readonly from: SmiStatus | null;
  readonly to: SmiStatus;
  readonly cause: string;
  readonly device?: Eui;
  readonly drive: (h: DccHarness) => void;
}

const DRIVEN: readonly Driven[] = [
  {
    title: '12.2 pre-notification adds the device as Pending',
    from: null,
    to: 'Pending',
    cause: '12.2',
    drive: (h) => h.send(SUPPLIER_A, '12.2', { cv: 8, body: { deviceId: ESME, ...TRIAL_MODEL } }),
  },
  {
    title: '8.11 add, answered by the comms hub: Pending → Whitelisted',
    from: 'Pending',
    to: 'Whitelisted',
    cause: '8.11 add',
    drive: (h) => {
      const sent = h.send(SUPPLIER_A, '8.11', { target: CHF, body: { action: 'add', deviceId: ESME } });
      h.deviceAnswers(CHF, sent.counter);
    },
  },
  {
    title: '8.4 InstalledNotCommissioned: Whitelisted → InstalledNotCommissioned',
    from: 'Whitelisted',
    to: 'InstalledNotCommissioned',
    cause: '8.4 InstalledNotCommissioned',
    drive: (h) =>
      h.send(SUPPLIER_A, '8.4', { cv: 8, body: { deviceId: ESME, status: 'InstalledNotCommissioned' } }),
  },
  {
    title: '8.4 Pending: InstalledNotCommissioned → Pending',
    from: 'InstalledNotCommissioned',
    to: 'Pending',
    cause: '8.4 Pending',
    drive: (h) => h.send(SUPPLIER_A, '8.4', { cv: 8, body: { deviceId: ESME, status: 'Pending' } }),
  },
  {
    title: '8.1.1 answered by the device: InstalledNotCommissioned → Commissioned',
    from: 'InstalledNotCommissioned',
    to: 'Commissioned',
    cause: '8.1.1',
    drive: (h) => h.commission(ESME),
  },
  {
    title: '8.3: Commissioned → Decommissioned',
    from: 'Commissioned',
    to: 'Decommissioned',
    cause: '8.3',
    drive: (h) => h.send(SUPPLIER_A, '8.3', { cv: 8, body: { deviceId: ESME } }),
  },
  {
    title: 'DeviceSuspended: the CPL entry of its (model, firmware) is withdrawn',
    from: 'Commissioned',
    to: 'Suspended',
    cause: 'DeviceSuspended',
    drive: (h) => setCplStatus(h.state, (e) => e.model === CERTIFIED_MODEL.model, 'Withdrawn', h.now),
  },
  {
    title: 'DeviceRestored: the entry is Active again',
    from: 'Suspended',
    to: 'Commissioned',
    cause: 'DeviceRestored',
    drive: (h) => setCplStatus(h.state, (e) => e.model === CERTIFIED_MODEL.model, 'Active', h.now),
  },
  {
    title: '8.14.1 Install Success: Pending comms hub → Commissioned',
    from: 'Pending',
    to: 'Commissioned',
    cause: '8.14.1',
    device: CHF,
    drive: (h) => h.send(SUPPLIER_A, '8.14.1', { cv: 8, body: { deviceId: CHF } }),
  },
  {
    title: '8.14.2 Install No SM WAN: Pending comms hub → InstalledNotCommissioned',
    from: 'Pending',
    to: 'InstalledNotCommissioned',
    cause: '8.14.2',
    device: CHF,
    drive: (h) => h.send(SUPPLIER_A, '8.14.2', { cv: 8, body: { deviceId: CHF } }),
  },
  {
    title: '8.14.3 Fault Return: Commissioned comms hub → Withdrawn',
    from: 'Commissioned',
    to: 'Withdrawn',
    cause: '8.14.3',
    device: CHF,
    drive: (h) => h.send(SUPPLIER_A, '8.14.3', { cv: 8, body: { deviceId: CHF } }),
  },
  {
    title: '8.14.4 No Fault Return: Commissioned comms hub → Withdrawn',
    from: 'Commissioned',
    to: 'Withdrawn',
    cause: '8.14.4',
    device: CHF,
    drive: (h) => h.send(SUPPLIER_A, '8.14.4', { cv: 8, body: { deviceId: CHF } }),
  },
];

describe('SMI transitions as the DCC makes them', () => {
  for (const t of DRIVEN) {
    it(t.title, () => {
      const h = newHarness();
      const device = t.device ?? ESME;
      const model = device === CHF ? CHF_MODEL : CERTIFIED_MODEL;
      if (t.from === null) h.state.smi.delete(device);
      else putDevice(h.state, device, t.from, model);
      const before = h.state.outcomes.length;
      t.drive(h);
      const record = h.state.smi.get(device);
      expect(record?.status).toBe(t.to);
      expect(record?.history.at(-1)).toMatchObject({ from: t.from, to: t.to, cause: t.cause });
      for (const o of h.state.outcomes.slice(before)) expect(o.outcome).toMatch(/^I0$/);
    });
  }

  it('E5 - 8.14.2 cannot move a Commissioned comms hub back', () => {
    const h = newHarness();
    expect(h.send(SUPPLIER_A, '8.14.2', { cv: 8, body: { deviceId: CHF } }).response.responseCode).toBe('E5');
    expect(h.state.smi.get(CHF)?.status).toBe('Commissioned');
  });

  it('DeviceSuspended then DeviceRestored alerts go to the registered supplier', () => {
    const h = newHarness();
    putDevice(h.state, ESME, 'Commissioned', CERTIFIED_MODEL);
    const suspended = setCplStatus(h.state, (e) => e.model === CERTIFIED_MODEL.model, 'Cancelled', h.now);
    const restored = addCplEntry(
      h.state,
      {
        ...CERTIFIED_MODEL,
        cpaCertificateReference: 'CPA-2023-0042',
        status: 'Active',
        imageHash: undefined,
      },
      h.now,
    );
    const alerts = [...suspended, ...restored].flatMap((e) =>
      e.type === 'dccAlert' ? [[e.user, e.message.alert]] : [],
    );
    expect(alerts).toEqual([
      [SUPPLIER_A, 'DeviceSuspended'],
      [SUPPLIER_A, 'DeviceRestored'],
    ]);
    expect(h.state.smi.get(ESME)?.history.map((e) => e.to)).toEqual([
      'Commissioned',
      'Suspended',
      'Commissioned',
    ]);
  });
});
