import { describe, expect, it } from 'vitest';
import type { DccEffect } from '../../../../../simulator/domain/dcc/dcc-effects.js';
import {
  addCplEntry,
  approveTrial,
  extendTrial,
  noteSponsorFailure,
  withdrawTrial,
} from '../../../../../simulator/domain/dcc/trial-administration.js';
import { sscTrialReport } from '../../../../../simulator/domain/reports/ssc-trial-report.js';
import { DEFAULT_TRIAL_POLICY } from '../../../../../simulator/domain/trial/trial.js';
import {
  approve,
  BASE_CPL,
  CERTIFIED_MODEL,
  type DccHarness,
  esmeEui,
  newHarness,
  putDevice,
  START,
  SUPPLIER_A,
  SUPPLIER_B,
} from '../../../../support/dcc-fixture.js';

/**
 * The SSC acts during a trial (docs/domain/TRIALS.md "The proposed solution", "Limits"): it
 * approves, extends and withdraws, and a sponsor that fails is shown on its trial. Each action is
 * dated in the SSC report. These drive the DCC core directly, as the scenario steps do.
 */
const DAY = 86_400_000;

function schedule(h: DccHarness, effects: readonly DccEffect[]): void {
  for (const e of effects) if (e.type === 'schedule') h.timers.push({ at: e.at, timer: e.timer });
}

function commissioned(h: DccHarness, n: number): void {
  putDevice(h.state, esmeEui(n), 'InstalledNotCommissioned');
  const sent = h.commission(esmeEui(n));
  expect(sent.response.responseCode).toBe('I99');
  expect(h.state.smi.get(esmeEui(n))?.status).toBe('Commissioned');
}

describe('SSC extends a running trial', () => {
  it('SSC-EXTEND - the end moves by whole months and a device may still join after the old end', () => {
    const h = newHarness();
    const trial = approve(h, { durationMonths: 1 });
    expect(new Date(trial.end).toISOString()).toBe('2027-02-04T09:00:00.000Z');
    h.advanceTo(START + 10 * DAY);
    const extended = extendTrial(h.state, 'T-0001', 2, h.now);
    expect(extended.ok).toBe(true);
    if (!extended.ok) return;
    schedule(h, extended.effects);
    expect(new Date(trial.end).toISOString()).toBe('2027-04-04T09:00:00.000Z');
    // The timer set for the old end runs and finds the trial not yet due.
    h.advanceTo(Date.parse('2027-02-10T09:00:00Z'));
    expect(trial.ended).toBe(false);
    commissioned(h, 1);
    expect(trial.commissioned).toEqual([esmeEui(1)]);
    // The new end ends it.
    h.advanceTo(Date.parse('2027-04-05T00:00:00Z'));
    expect(trial.ended).toBe(true);
    const report = sscTrialReport(h.state, h.now).trials[0];
    expect(report?.actions.map((a) => [a.at.slice(0, 10), a.action])).toEqual([
      ['2027-01-04', 'approved'],
      ['2027-01-14', 'extended'],
      ['2027-04-04', 'ended'],
    ]);
    expect(report?.actions[1]?.detail).toBe('extended by 2 months: ends 2027-04-04 instead of 2027-02-04');
  });

  it('SSC-EXTEND clamps - a trial ending 31 August extended by 6 months ends on the last day of February', () => {
    const h = newHarness();
    const trial = approve(h, { durationMonths: 1 }, { start: Date.parse('2027-07-31T00:00:00Z') });
    expect(new Date(trial.end).toISOString().slice(0, 10)).toBe('2027-08-31');
    const extended = extendTrial(h.state, 'T-0001', 6, Date.parse('2027-08-01T00:00:00Z'));
    expect(extended.ok).toBe(true);
    expect(new Date(trial.end).toISOString().slice(0, 10)).toBe('2028-02-29');
  });

  it('TRIAL-EXTENSION - longer in all than policy trial.extensionLimitMonths is refused', () => {
    const h = newHarness();
    const trial = approve(h, { durationMonths: 18 });
    const before = trial.end;
    const refused = extendTrial(h.state, 'T-0001', 19, START + DAY);
    expect(refused).toMatchObject({ ok: false, rule: 'TRIAL-EXTENSION' });
    expect(refused.ok ? '' : refused.reason).toContain('trial.extensionLimitMonths');
    expect(trial.end).toBe(before);
    expect(extendTrial(h.state, 'T-0001', 18, START + DAY).ok).toBe(true);
  });

  it('TRIAL-EXTENSION - an extension is a whole number of months of at least 1', () => {
    const h = newHarness();
    approve(h);
    for (const months of [0, -1, 1.5]) {
      expect(extendTrial(h.state, 'T-0001', months, START + DAY)).toMatchObject({
        ok: false,
        rule: 'TRIAL-EXTENSION',
      });
    }
  });

  it('TRIAL-WINDOW - a trial that has ended cannot be extended; TRIAL-UNKNOWN - nor can one that does not exist', () => {
    const h = newHarness();
    approve(h, { durationMonths: 1 });
    h.advanceTo(START + 40 * DAY);
    expect(extendTrial(h.state, 'T-0001', 1, h.now)).toMatchObject({ ok: false, rule: 'TRIAL-WINDOW' });
    expect(extendTrial(h.state, 'T-9999', 1, h.now)).toMatchObject({ ok: false, rule: 'TRIAL-UNKNOWN' });
  });
});

describe('SSC withdraws a running trial (policy trial.withdrawalConsequence)', () => {
  it('SSC-WITHDRAW - its devices are Suspended with DeviceSuspended and due for upgrade or removal', () => {
    const h = newHarness();
    const trial = approve(h);
    commissioned(h, 1);
    commissioned(h, 2);
    h.advanceTo(START + 30 * DAY);
    const withdrawn = withdrawTrial(h.state, 'T-0001', 'safety concern raised by the DNO', h.now);
    expect(withdrawn.ok).toBe(true);
    if (!withdrawn.ok) return;
    const suspendedAlerts = withdrawn.effects.filter(
      (e) => e.type === 'dccAlert' && e.message.alert === 'DeviceSuspended',
    );
    expect(suspendedAlerts).toHaveLength(2);
    expect(h.state.smi.get(esmeEui(1))?.status).toBe('Suspended');
    expect(h.state.smi.get(esmeEui(2))?.status).toBe('Suspended');
    expect(trial.withdrawnAt).toBe(h.now);
    const report = sscTrialReport(h.state, h.now).trials[0];
    expect(report?.phase).toBe('withdrawn');
    expect(report?.overdue).toBe(2);
    expect(report?.devices.every((d) => d.dueForUpgradeOrRemoval)).toBe(true);
    expect(report?.actions.at(-1)).toEqual({
      at: '2027-02-03T09:00:00.000Z',
      action: 'withdrawn',
      detail: 'safety concern raised by the DNO',
    });
    // Before the withdrawal the same report said running, with nothing overdue.
    const before = sscTrialReport(h.state, h.now - 1).trials[0];
    expect(before?.phase).toBe('running');
    expect(before?.overdue).toBe(0);
  });

  it('TRIAL-WITHDRAWN - no device may join a withdrawn trial, and it cannot be withdrawn or extended again', () => {
    const h = newHarness();
    approve(h);
    h.advanceTo(START + DAY);
    expect(withdrawTrial(h.state, 'T-0001', 'sponsor request', h.now).ok).toBe(true);
    putDevice(h.state, esmeEui(3), 'InstalledNotCommissioned');
    const refused = h.sendCritical(SUPPLIER_A, '8.1.1', esmeEui(3));
    expect(refused.response.responseCode).toBe('E5');
    expect(refused.response.rule).toBe('TRIAL-WITHDRAWN');
    expect(withdrawTrial(h.state, 'T-0001', 'again', h.now)).toMatchObject({
      ok: false,
      rule: 'TRIAL-WITHDRAWN',
    });
    expect(extendTrial(h.state, 'T-0001', 1, h.now)).toMatchObject({ ok: false, rule: 'TRIAL-WITHDRAWN' });
  });

  it('SSC-WITHDRAW - a withdrawn trial device upgraded to CPA-certified firmware is no longer overdue', () => {
    const h = newHarness();
    approve(h);
    commissioned(h, 1);
    h.advanceTo(START + DAY);
    withdrawTrial(h.state, 'T-0001', 'withdrawn', h.now);
    // 11.2 finds the device on the certified firmware 1.0.0 of its hardware (CPA-2027-0001).
    const read = h.send(SUPPLIER_A, '11.2', { target: esmeEui(1) });
    expect(read.response.responseCode).toBe('I99');
    h.deviceAnswers(esmeEui(1), read.counter, { status: 'success', firmwareVersion: '1.0.0' });
    expect(h.state.smi.get(esmeEui(1))?.status).toBe('Commissioned');
    const report = sscTrialReport(h.state, h.now).trials[0];
    expect(report?.upgraded).toBe(1);
    expect(report?.overdue).toBe(0);
  });
});

describe('SSC approval during a run', () => {
  it('TRIAL-ELIGIBILITY is judged when the SSC approves: refused before the certified product is listed, approved after', () => {
    // No CPA-certified Acme product on the CPL at first.
    const h = newHarness({ cpl: BASE_CPL.filter((e) => e.cpaCertificateReference.startsWith('TRIAL-')) });
    const request = {
      trialId: 'T-0001',
      cpaCertificateReference: 'TRIAL-SSC-0001',
      manufacturer: 'Acme Meters Ltd',
      deviceType: 'ESME' as const,
      sponsor: SUPPLIER_A,
      start: START + 30 * DAY,
      policy: DEFAULT_TRIAL_POLICY,
    };
    expect(approveTrial(h.state, { ...request, approvedAt: START })).toMatchObject({
      ok: false,
      rule: 'TRIAL-ELIGIBILITY',
    });
    addCplEntry(
      h.state,
      {
        ...CERTIFIED_MODEL,
        cpaCertificateReference: 'CPA-2023-0042',
        status: 'Active',
        imageHash: undefined,
      },
      START + 10 * DAY,
    );
    const approved = approveTrial(h.state, { ...request, approvedAt: START + 20 * DAY });
    expect(approved.ok).toBe(true);
    expect(sscTrialReport(h.state, START + 20 * DAY).trials[0]?.actions[0]).toMatchObject({
      at: '2027-01-24T09:00:00.000Z',
      action: 'approved',
    });
  });
});

describe('sponsor failure on a trial (docs/domain/TRIALS.md "Change of Supplier during a trial")', () => {
  it('SSC-SPONSOR-FAILED - every trial the failed supplier sponsored shows it, dated; other trials do not', () => {
    const h = newHarness();
    approve(h);
    approve(h, {}, { trialId: 'T-0002', reference: 'TRIAL-SSC-0002', sponsor: SUPPLIER_B });
    const at = START + 5 * DAY;
    noteSponsorFailure(h.state, SUPPLIER_A, SUPPLIER_B, at);
    const [t1, t2] = sscTrialReport(h.state, at).trials;
    expect(t1?.sponsorFailure).toEqual({
      at: '2027-01-09T09:00:00.000Z',
      detail: `sponsor ${SUPPLIER_A} failed; Supplier of Last Resort ${SUPPLIER_B} took over its consumers`,
    });
    expect(t1?.actions.map((a) => a.action)).toEqual(['approved', 'sponsorFailed']);
    expect(t2?.sponsorFailure).toBeNull();
    // A report as of before the failure does not show it.
    expect(sscTrialReport(h.state, at - 1).trials[0]?.sponsorFailure).toBeNull();
  });
});
