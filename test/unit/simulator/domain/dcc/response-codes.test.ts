import { describe, expect, it } from 'vitest';
import { registerParty } from '../../../../../simulator/domain/dcc/registered-parties.js';
import { setCplStatus } from '../../../../../simulator/domain/dcc/trial-administration.js';
import type { Eui } from '../../../../../simulator/domain/eui.js';
import type { SmiStatus } from '../../../../../simulator/domain/smi/smi-status.js';
import {
  ACTIVATION_HASH,
  approve,
  CERTIFIED_MODEL,
  CHF,
  type DccHarness,
  esmeEui,
  firstResponse,
  NETWORK,
  NETWORK_2,
  newHarness,
  OTHER_USER,
  putDevice,
  type Sent,
  START,
  STRANGER,
  SUPPLIER_A,
  SUPPLIER_B,
  SUSPENDED_USER,
  TRIAL_MODEL,
} from '../../../../support/dcc-fixture.js';

const ESME = esmeEui(1);
const DAY = 86_400_000;
const HASH = { imageHash: ACTIVATION_HASH };

interface Row {
  readonly title: string;
  /** Prepares the world; default: ESME 1 Commissioned (certified model), supplier A, NETWORK. */
  readonly given?: (h: DccHarness) => void;
  readonly when: (h: DccHarness) => Sent;
  readonly code: string;
  readonly rule?: string;
  readonly reason?: string;
}

const commissioned =
  (status: SmiStatus = 'Commissioned') =>
  (h: DccHarness) => {
    putDevice(h.state, ESME, status, CERTIFIED_MODEL);
  };
const trialDevice = (status: SmiStatus) => (h: DccHarness) => {
  approve(h, { maxDevices: 1 });
  putDevice(h.state, ESME, status, TRIAL_MODEL);
};
/** A 4.1.1 with a hand-written RequestID, sent as `from`. */
function raw(h: DccHarness, from: Eui, requestId: string): Sent {
  const effects = h.core.handleServiceRequest(
    from,
    { requestId, commandVariant: 1, serviceReference: '4.1', serviceReferenceVariant: '4.1.1', body: {} },
    h.now,
  );
  return { effects, response: firstResponse(effects), requestId, counter: 0 };
}
const read =
  (from: Eui, target: Eui = ESME) =>
  (h: DccHarness) =>
    h.send(from, '4.1.1', { target });

const ROWS: readonly Row[] = [
  // Success and acceptance.
  {
    title: 'I0 - 8.2 Read Inventory completes at once',
    when: (h) => h.send(SUPPLIER_A, '8.2', { cv: 8, body: { deviceId: ESME } }),
    code: 'I0',
  },
  {
    title: 'I99 - a non-critical device SR passed access control; the answer follows',
    when: read(SUPPLIER_A),
    code: 'I99',
  },
  {
    title: 'I0 - CV 4 of a critical SR returns the Pre-Command to sign',
    when: (h) => h.send(SUPPLIER_A, '11.3', { target: ESME, cv: 4, body: HASH }),
    code: 'I0',
  },
  // E1, E3.
  { title: 'E1 - a sender that is not a DCC User', when: read(STRANGER), code: 'E1' },
  {
    title: 'E1 - a RequestID naming another user than the sender',
    when: (h) => raw(h, SUPPLIER_B, `${SUPPLIER_A}:${ESME}:77`),
    code: 'E1',
  },
  {
    title: 'E12 - a RequestID that is not originator:target:counter',
    when: (h) => raw(h, SUPPLIER_A, `${SUPPLIER_A}:${ESME}`),
    code: 'E12',
    rule: 'DUIS-REQUESTID',
  },
  {
    title: 'E3 - a suspended DCC User',
    when: (h) => h.send(SUSPENDED_USER, '8.2', { cv: 8, body: { deviceId: ESME } }),
    code: 'E3',
  },
  // E2.
  {
    title: 'E2 - a network operator may not send 8.1.1',
    when: (h) => h.send(NETWORK, '8.1.1', { target: ESME, cv: 4 }),
    code: 'E2',
  },
  { title: 'E2 - an Other User may not read import registers', when: read(OTHER_USER), code: 'E2' },
  // E19.
  { title: 'E19 - a device not in the SMI', when: read(SUPPLIER_A, esmeEui(9)), code: 'E19' },
  {
    title: 'E19 - a non-device SR naming no device',
    when: (h) => h.send(SUPPLIER_A, '8.3', { cv: 8, body: {} }),
    code: 'E19',
  },
  {
    title: 'E19 - 8.11 whose joining device is not in the SMI (not E4)',
    when: (h) => h.send(SUPPLIER_A, '8.11', { target: CHF, body: { action: 'add', deviceId: esmeEui(9) } }),
    code: 'E19',
    reason: esmeEui(9),
  },
  // E4.
  { title: "E4 - a supplier acting on another supplier's device", when: read(SUPPLIER_B), code: 'E4' },
  {
    title: 'E4 - a network operator acting on a device on another network',
    when: read(NETWORK_2),
    code: 'E4',
  },
  {
    title: 'E4 - 8.11 for a joining device registered to another supplier',
    given: (h) => putDevice(h.state, ESME, 'Pending', TRIAL_MODEL),
    when: (h) => h.send(SUPPLIER_B, '8.11', { target: CHF, body: { action: 'add', deviceId: ESME } }),
    code: 'E4',
  },
  {
    title: 'E4 - a network operator cannot become the supplier of a new device (12.2)',
    given: () => {},
    when: (h) => h.send(NETWORK, '12.2', { cv: 8, body: { deviceId: esmeEui(2), ...TRIAL_MODEL } }),
    code: 'E4',
  },
  {
    title: 'I0 - any user may read the inventory of any device (8.2)',
    when: (h) => h.send(SUPPLIER_B, '8.2', { cv: 8, body: { deviceId: ESME } }),
    code: 'I0',
  },
  // E5.
  {
    title: 'E5 - rejects 4.1.1 for a Suspended device',
    given: commissioned('Suspended'),
    when: read(SUPPLIER_A),
    code: 'E5',
  },
  {
    title: 'E5 - rejects 6.13 for a Suspended device',
    given: commissioned('Suspended'),
    when: (h) => h.send(SUPPLIER_A, '6.13', { target: ESME }),
    code: 'E5',
  },
  {
    title: 'E5 - rejects 4.1.1 for a Pending device',
    given: commissioned('Pending'),
    when: read(SUPPLIER_A),
    code: 'E5',
  },
  {
    title: 'E5 - rejects 8.1.1 for a Commissioned device',
    when: (h) => h.send(SUPPLIER_A, '8.1.1', { target: ESME, cv: 4 }),
    code: 'E5',
  },
  {
    title: 'E5 - rejects 8.3 for a Decommissioned device',
    given: commissioned('Decommissioned'),
    when: (h) => h.send(SUPPLIER_A, '8.3', { cv: 8, body: { deviceId: ESME } }),
    code: 'E5',
  },
  {
    title: 'E5 - 12.2 for a device already in the SMI',
    when: (h) => h.send(SUPPLIER_A, '12.2', { cv: 8, body: { deviceId: ESME, ...CERTIFIED_MODEL } }),
    code: 'E5',
  },
  {
    title: 'I99 - 11.2 is exempt from E5 for a Suspended device',
    given: commissioned('Suspended'),
    when: (h) => h.send(SUPPLIER_A, '11.2', { target: ESME }),
    code: 'I99',
  },
  {
    title: 'I0 - 8.3 is allowed for a Suspended device',
    given: commissioned('Suspended'),
    when: (h) => h.send(SUPPLIER_A, '8.3', { cv: 8, body: { deviceId: ESME } }),
    code: 'I0',
  },
  {
    title: 'I0 - 11.3 (CV 4) is allowed for a Suspended device',
    given: commissioned('Suspended'),
    when: (h) => h.send(SUPPLIER_A, '11.3', { target: ESME, cv: 4, body: HASH }),
    code: 'I0',
  },
  // E11.
  { title: 'E11 - import registers of a comms hub', when: read(SUPPLIER_A, CHF), code: 'E11' },
  // E12.
  {
    title: 'E12 - a command variant the SRV does not take',
    when: (h) => h.send(SUPPLIER_A, '4.1.1', { target: ESME, cv: 4 }),
    code: 'E12',
    rule: 'DUIS-CV',
  },
  {
    title: 'E12 - a non-device SR that does not target the DCC',
    when: (h) => h.send(SUPPLIER_A, '8.2', { target: ESME, cv: 8, body: { deviceId: ESME } }),
    code: 'E12',
    rule: 'DUIS-TARGET',
  },
  {
    title: 'E12 - an unknown SRV, with the SRVs trialsim knows',
    when: (h) => h.send(SUPPLIER_A, '9.99', { target: ESME }),
    code: 'E12',
    rule: 'DUIS-SRV-UNKNOWN',
    reason: '8.1.1',
  },
  {
    title: 'E12 - an SRV of DCC.md §2 that trialsim does not model (3.2)',
    when: (h) => h.send(SUPPLIER_A, '3.2', { target: ESME }),
    code: 'E12',
    rule: 'TRIALSIM-NOT-IMPLEMENTED',
  },
  {
    title: 'E12 - 8.7.1 Join passes access control, then is not modelled',
    when: (h) => h.send(SUPPLIER_A, '8.7.1', { target: ESME, cv: 4 }),
    code: 'E12',
    rule: 'TRIALSIM-NOT-IMPLEMENTED',
  },
  {
    title: 'E12 - a body that breaks the SRV schema',
    given: commissioned('Pending'),
    when: (h) => h.send(SUPPLIER_A, '8.4', { cv: 8, body: { deviceId: ESME, status: 'Commissioned' } }),
    code: 'E12',
    rule: 'DUIS-BODY',
  },
  {
    title: 'E12 - a replayed RequestID counter',
    when: (h) => {
      h.send(SUPPLIER_A, '4.1.1', { target: ESME, counter: 10 });
      return h.send(SUPPLIER_A, '4.1.1', { target: ESME, counter: 10 });
    },
    code: 'E12',
    rule: 'DUIS-REQUESTID-COUNTER',
  },
  {
    title: 'E12 - a RequestID whose earlier use was refused is still spent',
    when: (h) => {
      h.send(SUPPLIER_A, '4.1.1', { target: CHF, counter: 10 });
      return h.send(SUPPLIER_A, '4.1.1', { target: ESME, counter: 10 });
    },
    code: 'E12',
    rule: 'DUIS-REQUESTID-COUNTER',
  },
  {
    title: 'E12 - CV 5 without a CV 4',
    when: (h) => h.send(SUPPLIER_A, '11.3', { target: ESME, cv: 5 }),
    code: 'E12',
  },
  // Trial and CPL rules.
  {
    title: 'E5 TRIAL-CAP - commissioning beyond the cap',
    given: (h) => {
      approve(h, { maxDevices: 1 });
      putDevice(h.state, esmeEui(2), 'InstalledNotCommissioned');
      h.commission(esmeEui(2));
      putDevice(h.state, ESME, 'InstalledNotCommissioned');
    },
    when: (h) => h.sendCritical(SUPPLIER_A, '8.1.1', ESME),
    code: 'E5',
    rule: 'TRIAL-CAP',
    reason: 'cap of 1',
  },
  {
    title: 'E5 TRIAL-WINDOW - commissioning before the trial starts',
    given: (h) => {
      approve(h, {}, { start: START + DAY });
      putDevice(h.state, ESME, 'InstalledNotCommissioned');
    },
    when: (h) => h.sendCritical(SUPPLIER_A, '8.1.1', ESME),
    code: 'E5',
    rule: 'TRIAL-WINDOW',
    reason: 'not started',
  },
  {
    title: 'E5 TRIAL-WINDOW - commissioning after the trial ended',
    given: (h) => {
      approve(h, { durationMonths: 1 });
      putDevice(h.state, ESME, 'InstalledNotCommissioned');
      h.advanceTo(START + 40 * DAY);
    },
    when: (h) => h.sendCritical(SUPPLIER_A, '8.1.1', ESME),
    code: 'E5',
    rule: 'TRIAL-WINDOW',
    reason: 'ended',
  },
  {
    title: 'E4 TRIAL-SPONSOR - a trial device commissioned by another supplier than the sponsor',
    given: (h) => {
      approve(h, {}, { sponsor: SUPPLIER_B });
      putDevice(h.state, ESME, 'InstalledNotCommissioned');
    },
    when: (h) => h.sendCritical(SUPPLIER_A, '8.1.1', ESME),
    code: 'E4',
    rule: 'TRIAL-SPONSOR',
  },
  {
    title: 'E5 TRIAL-UNKNOWN - a trial CPL entry with no approved trial',
    given: trialDevice('InstalledNotCommissioned'),
    when: (h) => {
      h.state.trials.clear();
      return h.sendCritical(SUPPLIER_A, '8.1.1', ESME);
    },
    code: 'E5',
    rule: 'TRIAL-UNKNOWN',
  },
  {
    title: 'E5 CPL-NOT-LISTED - commissioning a model whose CPL entry was withdrawn',
    given: (h) => {
      putDevice(h.state, ESME, 'InstalledNotCommissioned', CERTIFIED_MODEL);
      setCplStatus(h.state, (e) => e.model === 'ACME-E-100', 'Withdrawn', h.now);
    },
    when: (h) => h.sendCritical(SUPPLIER_A, '8.1.1', ESME),
    code: 'E5',
    rule: 'CPL-NOT-LISTED',
  },
  {
    title: 'E12 CPL-NOT-LISTED - pre-notifying a model not on the CPL',
    given: () => {},
    when: (h) =>
      h.send(SUPPLIER_A, '12.2', {
        cv: 8,
        body: { deviceId: esmeEui(3), ...TRIAL_MODEL, model: 'NOT-LISTED' },
      }),
    code: 'E12',
    rule: 'CPL-NOT-LISTED',
  },
  // Future-dated commands (E30, future-dated.ts).
  {
    title: 'E30 - a future-dated 11.3 whose execution date-time has passed',
    when: (h) =>
      h.send(SUPPLIER_A, '11.3', {
        target: ESME,
        cv: 4,
        body: { ...HASH, executionDateTime: new Date(h.now - 1000).toISOString() },
      }),
    code: 'E30',
    rule: 'DUIS-E30',
  },
  {
    title: 'E30 - the User signed (CV 5) after the execution date-time',
    when: (h) => {
      const at = new Date(h.now + 60_000).toISOString();
      const cv4 = h.send(SUPPLIER_A, '11.3', {
        target: ESME,
        cv: 4,
        body: { ...HASH, executionDateTime: at },
      });
      expect(cv4.response.responseCode).toBe('I0');
      h.advanceTo(h.now + 120_000);
      return h.cv5(SUPPLIER_A, cv4);
    },
    code: 'E30',
    rule: 'DUIS-E30',
  },
  {
    title: 'I99 - a future-dated 11.3 signed in time goes to the device',
    when: (h) => {
      const at = new Date(h.now + 3_600_000).toISOString();
      return h.sendCritical(SUPPLIER_A, '11.3', ESME, { ...HASH, executionDateTime: at });
    },
    code: 'I99',
  },
  {
    title: 'E12 CPL-NOT-LISTED - pre-notifying a listed model as another device type',
    given: () => {},
    when: (h) =>
      h.send(SUPPLIER_A, '12.2', {
        cv: 8,
        body: { deviceId: esmeEui(3), ...TRIAL_MODEL, deviceType: 'GSME' },
      }),
    code: 'E12',
    rule: 'CPL-NOT-LISTED',
    reason: 'device type ESME, not GSME',
  },
  {
    title: 'I0 - pre-notifying a model on the CPL adds it as Pending',
    given: () => {},
    when: (h) => h.send(SUPPLIER_A, '12.2', { cv: 8, body: { deviceId: esmeEui(3), ...TRIAL_MODEL } }),
    code: 'I0',
  },
  // Asynchronous outcomes.
  {
    title: 'E21 - no answer from the device before the deadline',
    when: (h) => {
      const sent = h.send(SUPPLIER_A, '4.1.1', { target: ESME });
      const effects = h.advanceTo(h.now + 61_000);
      return {
        ...sent,
        effects,
        response: effects.find((e) => e.type === 'serviceResponse')?.message as Sent['response'],
      };
    },
    code: 'E21',
    rule: 'DUIS-E21',
  },
  {
    title: 'I0 - the device answers before the deadline; the deadline then changes nothing',
    when: (h) => {
      const sent = h.send(SUPPLIER_A, '4.1.1', { target: ESME });
      const effects = h.deviceAnswers(ESME, sent.counter, { status: 'success', importRegisterWh: 5 });
      expect(h.advanceTo(h.now + 61_000)).toEqual([]);
      return {
        ...sent,
        effects,
        response: effects.find((e) => e.type === 'serviceResponse')?.message as Sent['response'],
      };
    },
    code: 'I0',
  },
];

describe('DUIS response codes (DCC.md §2), table-driven on the pure DCC core', () => {
  for (const row of ROWS) {
    it(row.title, () => {
      const h = newHarness();
      (row.given ?? commissioned())(h);
      const outcomesBefore = h.state.outcomes.length;
      const sent = row.when(h);
      expect(sent.response.responseCode).toBe(row.code);
      if (row.rule !== undefined) expect(sent.response.rule).toBe(row.rule);
      if (row.reason !== undefined) expect(sent.response.reason).toContain(row.reason);
      if (row.code.startsWith('E')) {
        // Every refusal names its rule and a reason a person can act on, and is recorded once.
        expect(sent.response.rule).toMatch(/\S/);
        expect(sent.response.reason).toMatch(/\S/);
        const mine = h.state.outcomes.slice(outcomesBefore).filter((o) => o.outcome === row.code);
        expect(mine.length).toBeGreaterThanOrEqual(1);
      }
    });
  }

  it('6.23 reaches a Suspended device: the gaining supplier must be able to upgrade or remove it (TRIALS.md)', () => {
    const h = newHarness();
    const record = putDevice(h.state, ESME, 'Suspended', CERTIFIED_MODEL);
    registerParty(h.state, record, 'supplier', SUPPLIER_B, h.now, 'CoS');
    expect(h.send(SUPPLIER_B, '6.23', { target: ESME }).response.responseCode).not.toBe('E5');
    expect(h.send(SUPPLIER_B, '4.1.1', { target: ESME }).response.responseCode).toBe('E4');
  });

  it('a refused request changes nothing in the SMI, the CPL or the trials', () => {
    const h = newHarness();
    approve(h, { maxDevices: 1 });
    putDevice(h.state, ESME, 'InstalledNotCommissioned');
    const before = JSON.stringify([
      [...h.state.smi.values()],
      h.state.cpl,
      [...h.state.trials.values()].map((t) => t.commissioned),
    ]);
    for (const [from, srv, target, cv] of [
      [NETWORK, '8.1.1', ESME, 4],
      [SUPPLIER_B, '8.1.1', ESME, 4],
      [SUPPLIER_A, '4.1.1', ESME, 1],
      [SUPPLIER_A, '4.1.1', CHF, 1],
      [SUPPLIER_A, '9.99', ESME, 1],
    ] as const) {
      expect(h.send(from, srv, { target, cv }).response.responseCode).toMatch(/^E/);
    }
    expect(
      JSON.stringify([
        [...h.state.smi.values()],
        h.state.cpl,
        [...h.state.trials.values()].map((t) => t.commissioned),
      ]),
    ).toBe(before);
  });

  it('every service request ends in exactly one recorded outcome', () => {
    const h = newHarness();
    putDevice(h.state, ESME, 'Commissioned', CERTIFIED_MODEL);
    const a = h.send(SUPPLIER_A, '4.1.1', { target: ESME });
    const b = h.send(SUPPLIER_A, '4.1.1', { target: ESME });
    h.send(SUPPLIER_B, '4.1.1', { target: ESME });
    h.send(SUPPLIER_A, '8.2', { cv: 8, body: { deviceId: ESME } });
    const registers = { status: 'success', importRegisterWh: 5 };
    h.deviceAnswers(ESME, a.counter, registers);
    h.advanceTo(h.now + 120_000);
    h.deviceAnswers(ESME, b.counter, registers); // late: after E21, dropped
    const ids = h.state.outcomes.map((o) => o.requestId);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    expect(h.state.outcomes.map((o) => o.outcome)).toEqual(['E4', 'I0', 'I0', 'E21']);
  });

  it('a refused SR to a trial device is recorded as a trial-device outcome (for OPR)', () => {
    const h = newHarness();
    approve(h);
    putDevice(h.state, ESME, 'Suspended', TRIAL_MODEL, { trialId: 'T-0001' });
    h.send(SUPPLIER_A, '4.1.1', { target: ESME });
    expect(h.state.outcomes.at(-1)).toMatchObject({
      outcome: 'E5',
      device: ESME,
      trialDevice: true,
      trialId: 'T-0001',
    });
  });
});
