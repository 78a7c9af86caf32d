import { describe, expect, it } from 'vitest';
import type { SrOutcome } from '../../../../../simulator/domain/dcc/dcc-state.js';
import { registerParty } from '../../../../../simulator/domain/dcc/registered-parties.js';
import type { Eui } from '../../../../../simulator/domain/eui.js';
import { dnoNotification } from '../../../../../simulator/domain/reports/dno-notification.js';
import { oprReport } from '../../../../../simulator/domain/reports/opr-report.js';
import { summariseTimes } from '../../../../../simulator/domain/reports/percentiles.js';
import { sscTrialReport } from '../../../../../simulator/domain/reports/ssc-trial-report.js';
import {
  approve,
  type DccHarness,
  esmeEui,
  NETWORK,
  NETWORK_2,
  newHarness,
  putDevice,
  START,
  SUPPLIER_A,
  SUPPLIER_B,
} from '../../../../support/dcc-fixture.js';

const DAY = 86_400_000;
const [E1, E2, E3, E4] = [1, 2, 3, 4].map(esmeEui) as [Eui, Eui, Eui, Eui];

/**
 * A trial timeline on the pure core: 4 devices commissioned on days 1–4, E2 upgraded to the
 * CPA-certified firmware 1.0.0 on day 10 (its 11.2 reports it), E3 removed (8.3) on day 20,
 * E4 on another network; the trial (6 months) then ends with E1 and E4 still on trial firmware.
 */
function timeline(): { h: DccHarness; end: number } {
  const h = newHarness();
  const trial = approve(h, { maxDevices: 5, durationMonths: 6 });
  for (const [i, device] of [E1, E2, E3, E4].entries()) {
    putDevice(h.state, device, 'InstalledNotCommissioned', undefined, {
      networkOperator: device === E4 ? NETWORK_2 : NETWORK,
    });
    h.advanceTo(START + (i + 1) * DAY);
    expect(h.commission(device).response.responseCode).toBe('I99');
  }
  h.advanceTo(START + 10 * DAY);
  const read = h.send(SUPPLIER_A, '11.2', { target: E2 });
  h.deviceAnswers(E2, read.counter, { status: 'success', firmwareVersion: '1.0.0' });
  h.advanceTo(START + 20 * DAY);
  expect(h.send(SUPPLIER_A, '8.3', { cv: 8, body: { deviceId: E3 } }).response.responseCode).toBe('I0');
  h.advanceTo(trial.end + DAY);
  return { h, end: trial.end };
}

describe('SSC trial report (TRIALS.md step 7)', () => {
  it('counts devices in the field, upgraded, removed and overdue as of each stage', () => {
    const { h, end } = timeline();
    const at = (asOf: number) => {
      const t = sscTrialReport(h.state, asOf).trials[0];
      return t && { ...t, devices: undefined, window: undefined, policy: undefined };
    };
    expect(at(START)).toMatchObject({ phase: 'running', inField: 0, commissioned: 0, capHeadroom: 5 });
    expect(at(START + 5 * DAY)).toMatchObject({
      inField: 4,
      commissioned: 4,
      upgraded: 0,
      byStatus: { Commissioned: 4 },
      bySupplier: { [SUPPLIER_A]: 4 },
      capHeadroom: 1,
    });
    expect(at(START + 15 * DAY)).toMatchObject({ inField: 3, upgraded: 1, removed: 0, overdue: 0 });
    expect(at(START + 25 * DAY)).toMatchObject({ inField: 2, upgraded: 1, removed: 1, overdue: 0 });
    expect(at(end)).toMatchObject({
      phase: 'ended',
      inField: 2,
      overdue: 2,
      byStatus: { Suspended: 2 },
      upgraded: 1,
      removed: 1,
      commissioned: 4,
    });
  });

  it('names each device with its state, and is plain JSON', () => {
    const { h, end } = timeline();
    const report = sscTrialReport(h.state, end);
    const states = Object.fromEntries(report.trials[0]?.devices.map((d) => [d.deviceId, d.state]) ?? []);
    expect(states).toEqual({ [E1]: 'overdue', [E2]: 'upgraded', [E3]: 'removed', [E4]: 'overdue' });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.asOf).toBe(new Date(end).toISOString());
  });

  it('after a Change of Supplier, the gaining supplier answers for the device', () => {
    const { h, end } = timeline();
    const record = h.state.smi.get(E1);
    if (record) record.supplier = SUPPLIER_B;
    expect(sscTrialReport(h.state, end).trials[0]?.bySupplier).toEqual({ [SUPPLIER_A]: 1, [SUPPLIER_B]: 1 });
  });

  it('as of a date before the registration moved, the losing supplier still answers for it', () => {
    const { h, end } = timeline();
    const record = h.state.smi.get(E1);
    if (record === undefined) throw new Error('E1 missing');
    registerParty(h.state, record, 'supplier', SUPPLIER_B, START + 100 * DAY, 'CoS');
    expect(sscTrialReport(h.state, START + 99 * DAY).trials[0]?.bySupplier).toEqual({ [SUPPLIER_A]: 2 });
    expect(sscTrialReport(h.state, end).trials[0]?.bySupplier).toEqual({ [SUPPLIER_A]: 1, [SUPPLIER_B]: 1 });
    const row = sscTrialReport(h.state, end).trials[0]?.devices.find((d) => d.deviceId === E1);
    expect(row?.supplier).toBe(SUPPLIER_B);
  });

  it('an upgraded device left the trial: no longer on it in the SMI, restored by the CPL', () => {
    const { h } = timeline();
    expect(h.state.smi.get(E2)).toMatchObject({
      trialId: undefined,
      status: 'Commissioned',
      firmwareVersion: '1.0.0',
    });
  });
});

describe('DNO notification (TRIALS.md step 6)', () => {
  it("lists the trial devices in the field on each network operator's network", () => {
    const { h, end } = timeline();
    const before = dnoNotification(h.state, START + 5 * DAY);
    expect(
      before.networkOperators.map((n) => [n.networkOperator, n.trialDevices.map((d) => d.deviceId)]),
    ).toEqual(
      [
        [NETWORK, [E1, E2, E3]],
        [NETWORK_2, [E4]],
      ].sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    const after = dnoNotification(h.state, end);
    const onNetwork = after.networkOperators.find((n) => n.networkOperator === NETWORK)?.trialDevices ?? [];
    expect(onNetwork.map((d) => [d.deviceId, d.overdue, d.trialId])).toEqual([[E1, true, 'T-0001']]);
    expect(JSON.parse(JSON.stringify(after))).toEqual(after);
  });
});

function outcome(at: number, ms: number, code: string, trialId?: string, srv = '4.1.1'): SrOutcome {
  return {
    requestId: `${SUPPLIER_A}:${E1}:${at}`,
    user: SUPPLIER_A,
    srv,
    device: E1,
    outcome: code,
    rule: undefined,
    requestedAt: at,
    completedAt: at + ms,
    trialDevice: trialId !== undefined,
    trialId,
  };
}

describe('OPR figures with and without trial devices (TRIALS.md step 8)', () => {
  it('excludeFromOpr - trial devices are left out of the basis, and the difference is shown', () => {
    const h = newHarness();
    approve(h, { excludeFromOpr: true });
    h.state.outcomes.push(
      outcome(START, 1_000, 'I0'),
      outcome(START + 1, 2_000, 'I0'),
      outcome(START + 2, 3_000, 'E4'),
      outcome(START + 3, 60_000, 'E21', 'T-0001'),
      outcome(START + 4, 60_000, 'E21', 'T-0001'),
      outcome(START + 5, 0, 'I0', undefined, '8.2'),
    );
    const report = oprReport(h.state, START + DAY);
    expect(report.excludedTrials).toEqual(['T-0001']);
    expect(report.withTrialDevices).toMatchObject({ requests: 6, succeeded: 3, successRate: 0.5 });
    expect(report.withoutTrialDevices).toMatchObject({ requests: 4, succeeded: 3, successRate: 0.75 });
    expect(report.excluded).toMatchObject({ requests: 2, succeeded: 0, byOutcome: { E21: 2 } });
    // Round trips only: the access-control refusal (E4) and the non-device 8.2 do not count.
    expect(report.withoutTrialDevices.responseTimeMs).toEqual({
      count: 2,
      p50: 1_000,
      p90: 2_000,
      p95: 2_000,
      p99: 2_000,
      max: 2_000,
    });
    expect(report.withTrialDevices.responseTimeMs?.max).toBe(60_000);
  });

  it('a trial with excludeFromOpr false stays in the basis', () => {
    const h = newHarness();
    approve(h, { excludeFromOpr: false });
    h.state.outcomes.push(outcome(START, 1_000, 'I0'), outcome(START + 1, 60_000, 'E21', 'T-0001'));
    const report = oprReport(h.state, START + DAY);
    expect(report.excludedTrials).toEqual([]);
    expect(report.withoutTrialDevices).toEqual(report.withTrialDevices);
    expect(report.excluded.requests).toBe(0);
  });

  it('counts only what completed by the as-of instant', () => {
    const h = newHarness();
    h.state.outcomes.push(outcome(START, 1_000, 'I0'), outcome(START + DAY, 1_000, 'I0'));
    expect(oprReport(h.state, START + 1_000).withTrialDevices.requests).toBe(1);
    expect(oprReport(h.state, START).withTrialDevices).toMatchObject({
      requests: 0,
      successRate: null,
      responseTimeMs: null,
    });
  });

  it('nearest-rank percentiles are response times that happened', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i + 1) * 10);
    expect(summariseTimes(values)).toEqual({ count: 100, p50: 500, p90: 900, p95: 950, p99: 990, max: 1000 });
    expect(summariseTimes([7])).toEqual({ count: 1, p50: 7, p90: 7, p95: 7, p99: 7, max: 7 });
    expect(summariseTimes([])).toBeNull();
  });

  it('on the DCC core, the trial device SRs are flagged as they happen', () => {
    const { h, end } = timeline();
    const report = oprReport(h.state, end);
    // 4 commissionings (trial devices once commissioned) and the 8.3 of a trial device: excluded;
    // the upgraded E2's 11.2 completed after it left the trial: counted.
    expect(report.excluded.byOutcome).toEqual({ I0: 5 });
    expect(report.withoutTrialDevices.byOutcome).toEqual({ I0: 1 });
  });
});

describe('SSC approval of a trial (TRIALS.md steps 1-4)', () => {
  it("TRIAL-REFERENCE and TRIAL-DUPLICATE - a reference must be a Trial one, and one trial's only", () => {
    const h = newHarness();
    approve(h);
    expect(() => approve(h, {}, { trialId: 'T-0002' })).toThrow(/already belongs to trial T-0001/);
    expect(() => approve(h, {}, { trialId: 'T-0003', reference: 'CPA-2023-0042' })).toThrow(
      /not a Trial CPA/,
    );
  });
});
