import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CplEntry,
  findCplEntry,
  isTrialReference,
} from '../../../../../simulator/domain/cpl/cpl-entry.js';
import { addCplEntry, approveTrial } from '../../../../../simulator/domain/dcc/trial-administration.js';
import { inField } from '../../../../../simulator/domain/dcc/trial-membership.js';
import type { Eui } from '../../../../../simulator/domain/eui.js';
import { dnoNotification } from '../../../../../simulator/domain/reports/dno-notification.js';
import { oprReport } from '../../../../../simulator/domain/reports/opr-report.js';
import { sscTrialReport } from '../../../../../simulator/domain/reports/ssc-trial-report.js';
import { DEFAULT_TRIAL_POLICY } from '../../../../../simulator/domain/trial/trial.js';
import {
  approve,
  BASE_CPL,
  type DccHarness,
  esmeEui,
  newHarness,
  putDevice,
  START,
  SUPPLIER_A,
  TRIAL_MODEL,
} from '../../../../support/dcc-fixture.js';

/**
 * The one rule of trial membership (simulator/domain/dcc/trial-membership.ts; policy
 * `trial.membership`): a device is a trial device while the CPL entry for its model, hardware
 * version and running firmware carries a Trial CPA reference, whatever path put that firmware
 * there. Model-based: devices are commissioned, activated (11.3) onto trial, another trial's and
 * certified images (their responses sometimes lost after the device ran them), re-flashed behind the
 * DCC's back and read (11.2) or announced by the device (0x8F43), downgraded back, pre-installed,
 * and time runs over deadlines and trial ends. After every step no device runs trial firmware
 * uncapped or unreported, and no cap is exceeded.
 */
const DAY = 86_400_000;
const DEVICES = 5;
const hashOf = (n: number) => n.toString(16).padStart(2, '0').repeat(32);

/** The firmware a trial-hardware ESME may run: two trials', a certified one and an unlisted one. */
const FIRMWARE = {
  '0.9.0': { reference: 'TRIAL-SSC-0001', hash: hashOf(0x90) },
  '0.9.5': { reference: 'TRIAL-SSC-0002', hash: hashOf(0x95) },
  '1.0.0': { reference: 'CPA-2027-0001', hash: hashOf(0x10) },
} as const;
type Listed = keyof typeof FIRMWARE;
type Version = Listed | '0.8.0';
const LISTED = Object.keys(FIRMWARE) as Listed[];
const VERSIONS: Version[] = [...LISTED, '0.8.0'];

const CPL: CplEntry[] = [
  ...BASE_CPL.filter((e) => e.model !== TRIAL_MODEL.model),
  ...LISTED.map((v) => ({
    ...TRIAL_MODEL,
    firmwareVersion: v,
    cpaCertificateReference: FIRMWARE[v].reference,
    status: 'Active' as const,
    imageHash: FIRMWARE[v].hash,
  })),
];

/**
 * How a device answers: `none` leaves the command in flight (answered by a later `answer`, or
 * E21 at the deadline); `lost` runs it but the response never reaches the DCC (E21), so the DCC
 * learns of new firmware only from the device's 0x8F43, if that gets through (`announce`).
 */
type Answer = 'success' | 'failure' | 'none' | 'lost';
/** How the DCC hears of a re-flash: not at all, by reading the device (11.2), or by its 0x8F43. */
type Report = 'none' | '11.2' | '0x8F43';

type Action =
  | { kind: 'commission'; device: number; answer: Answer }
  | { kind: 'activate'; device: number; to: Listed; answer: Answer; announce?: boolean }
  | { kind: 'answer'; pick: number; success: boolean }
  | { kind: 'reflash'; device: number; to: Version; report: Report }
  | { kind: 'read'; device: number }
  | { kind: 'advance'; ms: number };

const device = fc.nat(DEVICES - 1);
const answer = fc.constantFrom<Answer>('success', 'failure', 'none', 'lost');
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('commission' as const), device, answer }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('activate' as const),
      device,
      to: fc.constantFrom(...LISTED),
      answer,
      announce: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(10), success: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('reflash' as const),
      device,
      to: fc.constantFrom(...VERSIONS),
      report: fc.constantFrom<Report>('none', '11.2', '0x8F43'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), device }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 90_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 40 * DAY }) },
      ),
    }),
  },
);

interface World {
  readonly h: DccHarness;
  readonly caps: Record<string, number>;
  /** What each device really runs (it may differ from what the DCC believes until an 11.2). */
  readonly running: Map<Eui, Version>;
  readonly inFlight: { device: Eui; counter: number; activates?: Listed; announce?: boolean }[];
}

function newWorld(caps: [number, number], initial: Version[], preinstalled: boolean): World {
  const h = newHarness({ cpl: CPL });
  const running = new Map<Eui, Version>();
  initial.forEach((version, i) => {
    const eui = esmeEui(i + 1);
    running.set(eui, version);
    // The first device may be in the field before any trial is approved (pre-installed).
    const status = preinstalled && i === 0 ? 'Commissioned' : 'InstalledNotCommissioned';
    putDevice(
      h.state,
      eui,
      status,
      { ...TRIAL_MODEL, firmwareVersion: version },
      {
        history: [
          {
            at: START,
            from: null,
            to: status,
            cause: status === 'Commissioned' ? 'preinstalled' : 'test set-up',
          },
        ],
      },
    );
  });
  approve(h, { maxDevices: caps[0], durationMonths: 2 });
  approve(h, { maxDevices: caps[1], durationMonths: 3 }, { trialId: 'T-0002', reference: 'TRIAL-SSC-0002' });
  return { h, caps: { 'T-0001': caps[0], 'T-0002': caps[1] }, running, inFlight: [] };
}

/** The device's own word that its executing firmware changed (it raises 0x8F43 on every change). */
function announce(world: World, device: Eui, previousVersion: Version | undefined): void {
  const firmwareVersion = world.running.get(device);
  if (firmwareVersion === previousVersion) return;
  world.h.deviceAlerts(device, '0x8F43', { previousVersion, firmwareVersion });
}

function deviceAnswer(
  world: World,
  p: World['inFlight'][number],
  success: boolean,
  responseLost = false,
): void {
  const before = world.running.get(p.device);
  if (p.activates !== undefined && success) world.running.set(p.device, p.activates);
  if (p.activates !== undefined && p.announce) announce(world, p.device, before);
  if (responseLost) return;
  const firmwareVersion = world.running.get(p.device);
  world.h.deviceAnswers(p.device, p.counter, {
    status: success ? 'success' : 'failure',
    ...(p.activates === undefined ? {} : { firmwareVersion }),
  });
}

function settle(
  world: World,
  sent: { response: { responseCode: string }; counter: number },
  p: Omit<World['inFlight'][number], 'counter'>,
  how: Answer,
): void {
  if (sent.response.responseCode !== 'I99') return;
  const pending = { ...p, counter: sent.counter };
  if (how === 'none') world.inFlight.push(pending);
  else deviceAnswer(world, pending, how !== 'failure', how === 'lost');
}

function step(world: World, a: Action): void {
  const { h } = world;
  switch (a.kind) {
    case 'commission': {
      const eui = esmeEui(a.device + 1);
      settle(world, h.sendCritical(SUPPLIER_A, '8.1.1', eui), { device: eui }, a.answer);
      break;
    }
    case 'activate': {
      const eui = esmeEui(a.device + 1);
      const sent = h.sendCritical(SUPPLIER_A, '11.3', eui, {
        imageHash: Buffer.from(FIRMWARE[a.to].hash, 'hex'),
      });
      settle(world, sent, { device: eui, activates: a.to, announce: a.announce ?? false }, a.answer);
      break;
    }
    case 'answer': {
      const p = world.inFlight.splice(a.pick % Math.max(1, world.inFlight.length), 1)[0];
      if (p !== undefined) deviceAnswer(world, p, a.success);
      break;
    }
    case 'reflash': {
      // Re-flashed on site (or downgraded): the DCC learns of it only from the device itself.
      const eui = esmeEui(a.device + 1);
      const before = world.running.get(eui);
      world.running.set(eui, a.to);
      if (a.report === '11.2') step(world, { kind: 'read', device: a.device });
      if (a.report === '0x8F43') announce(world, eui, before);
      break;
    }
    case 'read': {
      const eui = esmeEui(a.device + 1);
      const sent = h.send(SUPPLIER_A, '11.2', { target: eui });
      if (sent.response.responseCode === 'I99')
        h.deviceAnswers(eui, sent.counter, { status: 'success', firmwareVersion: world.running.get(eui) });
      break;
    }
    case 'advance':
      h.advanceTo(h.now + a.ms);
      break;
  }
}

function checkInvariants(world: World): void {
  const { h } = world;
  const ssc = sscTrialReport(h.state, h.now);
  const dno = dnoNotification(h.state, h.now).networkOperators.flatMap((n) => n.trialDevices);
  for (const trial of h.state.trials.values()) {
    // TRIAL-CAP on every path: devices ever on its firmware in the field, plus slots held.
    expect(new Set(trial.commissioned).size).toBe(trial.commissioned.length);
    const held = [...trial.reserved].filter((d) => !trial.commissioned.includes(d as Eui));
    expect(trial.commissioned.length + held.length).toBeLessThanOrEqual(world.caps[trial.trialId] ?? 0);
  }
  for (const record of h.state.smi.values()) {
    if (!inField(record)) continue;
    const entry = findCplEntry(h.state.cpl, record);
    if (entry === undefined || !isTrialReference(entry.cpaCertificateReference)) continue;
    const trial = [...h.state.trials.values()].find(
      (t) => t.cpaCertificateReference === entry.cpaCertificateReference,
    );
    expect(trial, `${record.deviceId} runs ${record.firmwareVersion} of no approved trial`).toBeDefined();
    if (trial === undefined) continue;
    // Never uncapped: counted by its trial, or found over the cap and Suspended.
    expect(record.trialId).toBe(trial.trialId);
    const counted = trial.commissioned.includes(record.deviceId);
    const overCap = trial.overCap.has(record.deviceId);
    expect(
      counted || overCap,
      `${record.deviceId} on ${trial.trialId} firmware is neither counted nor over the cap`,
    ).toBe(true);
    if (overCap) expect(record.status).toBe('Suspended');
    // Never unreported: in the SSC report and on the DNO list as a device of that trial.
    const reported = ssc.trials
      .find((t) => t.trialId === trial.trialId)
      ?.devices.find((d) => d.deviceId === record.deviceId);
    expect(reported?.state, `${record.deviceId} missing from the SSC report of ${trial.trialId}`).toMatch(
      /^(inField|overdue|overCap)$/,
    );
    expect(dno.some((d) => d.deviceId === record.deviceId && d.trialId === trial.trialId)).toBe(true);
  }
}

describe('trial membership follows the running firmware on every path (trial-membership.ts)', () => {
  it('TRIAL-MEMBERSHIP and TRIAL-CAP - after 8.1.1, 11.3 to trial, other-trial and certified images (responses lost or not), re-flash, downgrade, 11.2 reports and 0x8F43 announcements, no device runs trial firmware uncapped or unreported and no cap is exceeded', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 })),
        // Mostly certified at first, so that the firmware paths (11.3, re-flash) carry devices onto trials.
        fc.array(fc.constantFrom<Version>('1.0.0', '1.0.0', '1.0.0', '0.9.0', '0.9.5'), {
          minLength: DEVICES,
          maxLength: DEVICES,
        }),
        fc.boolean(),
        fc.array(action, { minLength: 20, maxLength: 80, size: 'max' }),
        (caps, initial, preinstalled, actions) => {
          const world = newWorld(caps, initial, preinstalled);
          checkInvariants(world);
          for (const a of actions) {
            step(world, a);
            checkInvariants(world);
          }
        },
      ),
      { seed: 17, numRuns: 150 },
    );
    // About 7 s on an idle machine; the margin is for a loaded CI box, not a timing assertion.
  }, 180_000);
});

describe('each path onto a trial’s firmware, one at a time', () => {
  function world(
    initial: Version[] = ['1.0.0', '1.0.0', '1.0.0', '1.0.0', '1.0.0'],
    caps: [number, number] = [2, 2],
  ) {
    return newWorld(caps, initial, false);
  }
  const one = esmeEui(1);

  it('TRIAL-MEMBERSHIP 11.3 - a certified meter activated onto trial firmware joins the trial (sponsor, cap, report)', () => {
    const w = world();
    step(w, { kind: 'commission', device: 0, answer: 'success' });
    expect(w.h.state.trials.get('T-0001')?.commissioned).toEqual([]);
    step(w, { kind: 'activate', device: 0, to: '0.9.0', answer: 'success' });
    const trial = w.h.state.trials.get('T-0001');
    expect(trial?.commissioned).toEqual([one]);
    expect(trial?.joined.get(one)?.via).toBe('11.3');
    expect(sscTrialReport(w.h.state, w.h.now).trials[0]?.devices[0]?.joinedVia).toBe('11.3');
  });

  it('TRIAL-MEMBERSHIP 11.2 - a certified meter re-flashed with trial firmware is counted once it reports it', () => {
    const w = world();
    step(w, { kind: 'commission', device: 0, answer: 'success' });
    step(w, { kind: 'reflash', device: 0, to: '0.9.0', report: 'none' });
    step(w, { kind: 'read', device: 0 });
    expect(w.h.state.trials.get('T-0001')?.joined.get(one)?.via).toBe('11.2');
    expect(w.h.state.smi.get(one)?.trialId).toBe('T-0001');
  });

  it('TRIAL-MEMBERSHIP 0x8F43 - a certified meter re-flashed with trial firmware is counted as soon as it announces the change, before any 11.2', () => {
    const w = world();
    step(w, { kind: 'commission', device: 0, answer: 'success' });
    step(w, { kind: 'reflash', device: 0, to: '0.9.0', report: '0x8F43' });
    expect(w.h.state.smi.get(one)).toMatchObject({ firmwareVersion: '0.9.0', trialId: 'T-0001' });
    expect(w.h.state.trials.get('T-0001')?.joined.get(one)?.via).toBe('0x8F43');
    const dno = dnoNotification(w.h.state, w.h.now).networkOperators.flatMap((n) => n.trialDevices);
    expect(dno.map((d) => [d.deviceId, d.trialId])).toEqual([[one, 'T-0001']]);
  });

  it('TRIAL-MEMBERSHIP 11.3 E21 - an activation that ran but whose response was lost joins the trial from the device’s 0x8F43', () => {
    const w = world();
    step(w, { kind: 'commission', device: 0, answer: 'success' });
    step(w, { kind: 'activate', device: 0, to: '0.9.0', answer: 'lost', announce: true });
    step(w, { kind: 'advance', ms: 61_000 });
    expect(w.h.state.outcomes.filter((o) => o.srv === '11.3').map((o) => o.outcome)).toEqual(['E21']);
    const trial = w.h.state.trials.get('T-0001');
    expect(trial?.commissioned).toEqual([one]);
    expect(trial?.joined.get(one)?.via).toBe('11.3');
    expect(sscTrialReport(w.h.state, w.h.now).trials[0]?.devices[0]).toMatchObject({
      deviceId: one,
      state: 'inField',
    });
  });

  it('TRIAL-MEMBERSHIP future-dated 11.3 - at its execution date-time the device’s 0x8F43 puts it in the trial in the slot held for it', () => {
    const w = world();
    step(w, { kind: 'commission', device: 0, answer: 'success' });
    const at = w.h.now + DAY;
    const sent = w.h.sendCritical(SUPPLIER_A, '11.3', one, {
      imageHash: Buffer.from(FIRMWARE['0.9.0'].hash, 'hex'),
      executionDateTime: new Date(at).toISOString(),
    });
    expect(sent.response.responseCode).toBe('I99');
    w.h.deviceAnswers(one, sent.counter, { status: 'commandAccepted' });
    const trial = w.h.state.trials.get('T-0001');
    expect(trial?.reserved.has(one)).toBe(true);
    expect(trial?.commissioned).toEqual([]);
    w.h.advanceTo(at);
    w.h.deviceAlerts(one, '0x8F43', { previousVersion: '1.0.0', firmwareVersion: '0.9.0' });
    w.h.deviceAlerts(one, '0x8F66', { status: 'success', firmwareVersion: '0.9.0' });
    expect(trial?.commissioned).toEqual([one]);
    expect(trial?.joined.get(one)?.via).toBe('11.3');
    expect(trial?.reserved.size).toBe(0);
    expect(w.h.state.smi.get(one)).toMatchObject({ firmwareVersion: '0.9.0', trialId: 'T-0001' });
  });

  it('TRIAL-CAP 0x8F43 - a device announcing trial firmware with the cap full is Suspended and reported over the cap', () => {
    const w = world(undefined, [1, 1]);
    step(w, { kind: 'commission', device: 0, answer: 'success' });
    step(w, { kind: 'commission', device: 1, answer: 'success' });
    step(w, { kind: 'activate', device: 0, to: '0.9.0', answer: 'success' });
    step(w, { kind: 'reflash', device: 1, to: '0.9.0', report: '0x8F43' });
    expect(w.h.state.smi.get(esmeEui(2))?.status).toBe('Suspended');
    expect(sscTrialReport(w.h.state, w.h.now).trials[0]).toMatchObject({ commissioned: 1, overCap: 1 });
  });

  it('TRIAL-CAP 11.3 - activation onto trial firmware is refused with the rule named when the cap is full', () => {
    const w = world(undefined, [1, 1]);
    step(w, { kind: 'commission', device: 0, answer: 'success' });
    step(w, { kind: 'commission', device: 1, answer: 'success' });
    step(w, { kind: 'activate', device: 0, to: '0.9.0', answer: 'success' });
    const refused = w.h.sendCritical(SUPPLIER_A, '11.3', esmeEui(2), {
      imageHash: Buffer.from(FIRMWARE['0.9.0'].hash, 'hex'),
    });
    expect(refused.response.responseCode).toBe('E5');
    expect(refused.response.rule).toBe('TRIAL-CAP');
  });

  it('TRIAL-CAP 11.2 - a device found on trial firmware with the cap full is Suspended and reported over the cap', () => {
    const w = world(undefined, [1, 1]);
    step(w, { kind: 'commission', device: 0, answer: 'success' });
    step(w, { kind: 'commission', device: 1, answer: 'success' });
    step(w, { kind: 'activate', device: 0, to: '0.9.0', answer: 'success' });
    step(w, { kind: 'reflash', device: 1, to: '0.9.0', report: 'none' });
    step(w, { kind: 'read', device: 1 });
    expect(w.h.state.smi.get(esmeEui(2))?.status).toBe('Suspended');
    const report = sscTrialReport(w.h.state, w.h.now).trials[0];
    expect(report?.overCap).toBe(1);
    expect(report?.commissioned).toBe(1);
  });

  it('TRIAL-MEMBERSHIP downgrade - a device upgraded out of its trial and downgraded back re-enters it in its old slot', () => {
    const w = world(['0.9.0', '1.0.0', '1.0.0', '1.0.0', '1.0.0'], [1, 1]);
    step(w, { kind: 'commission', device: 0, answer: 'success' });
    step(w, { kind: 'activate', device: 0, to: '1.0.0', answer: 'success' });
    const trial = w.h.state.trials.get('T-0001');
    expect(trial?.upgraded.has(one)).toBe(true);
    step(w, { kind: 'reflash', device: 0, to: '0.9.0', report: 'none' });
    step(w, { kind: 'read', device: 0 });
    expect(trial?.upgraded.has(one)).toBe(false);
    expect(trial?.commissioned).toEqual([one]);
    expect(w.h.state.smi.get(one)?.status).toBe('Commissioned');
  });

  it('TRIAL-MEMBERSHIP move - a device moved to another trial’s firmware is reported by both trials', () => {
    const w = world(['0.9.0', '1.0.0', '1.0.0', '1.0.0', '1.0.0']);
    step(w, { kind: 'commission', device: 0, answer: 'success' });
    step(w, { kind: 'activate', device: 0, to: '0.9.5', answer: 'success' });
    const [t1, t2] = sscTrialReport(w.h.state, w.h.now).trials;
    expect(t1?.moved).toBe(1);
    expect(t1?.devices[0]?.movedTo).toBe('T-0002');
    expect(t2?.devices[0]).toMatchObject({ deviceId: one, state: 'inField', joinedVia: '11.3' });
  });

  it('TRIAL-MEMBERSHIP pre-installed - a meter in the field with trial firmware joins when its trial is approved', () => {
    const w = newWorld([2, 2], ['0.9.0', '1.0.0', '1.0.0', '1.0.0', '1.0.0'], true);
    const trial = w.h.state.trials.get('T-0001');
    expect(trial?.commissioned).toEqual([one]);
    expect(trial?.joined.get(one)?.via).toBe('preinstalled');
  });

  it('TRIAL-CAP pre-installation - the SSC approval is refused, rule named, when more devices are already in the field on the trial’s firmware than its cap', () => {
    const h = newHarness({ cpl: CPL });
    for (const n of [1, 2, 3]) {
      putDevice(h.state, esmeEui(n), 'Commissioned', TRIAL_MODEL, {
        history: [{ at: START, from: null, to: 'Commissioned', cause: 'preinstalled' }],
      });
    }
    const refused = approveTrial(h.state, {
      trialId: 'T-0001',
      cpaCertificateReference: 'TRIAL-SSC-0001',
      manufacturer: 'Acme Meters Ltd',
      deviceType: 'ESME',
      sponsor: SUPPLIER_A,
      start: START,
      policy: { ...DEFAULT_TRIAL_POLICY, maxDevices: 2 },
    });
    expect(refused).toMatchObject({ ok: false, rule: 'TRIAL-CAP' });
    expect(h.state.trials.size).toBe(0);
    // With room for all three, they join at the approval as pre-installed devices.
    approve(h, { maxDevices: 3 });
    expect(h.state.trials.get('T-0001')?.commissioned).toHaveLength(3);
  });

  it('TRIAL-CAP CPL change - firmware listed under a full trial’s reference after devices run it leaves the extra device Suspended and over the cap, never uncounted', () => {
    const w = world(['0.9.0', '1.0.0', '1.0.0', '1.0.0', '1.0.0'], [1, 1]);
    step(w, { kind: 'commission', device: 0, answer: 'success' });
    step(w, { kind: 'commission', device: 1, answer: 'success' });
    // esme2 reports (11.2) a trial build 0.9.7 that nothing lists yet: Suspended, no CPL entry.
    const read = w.h.send(SUPPLIER_A, '11.2', { target: esmeEui(2) });
    w.h.deviceAnswers(esmeEui(2), read.counter, { status: 'success', firmwareVersion: '0.9.7' });
    expect(w.h.state.smi.get(esmeEui(2))).toMatchObject({ status: 'Suspended', trialId: undefined });
    addCplEntry(
      w.h.state,
      {
        ...TRIAL_MODEL,
        firmwareVersion: '0.9.7',
        cpaCertificateReference: 'TRIAL-SSC-0001',
        status: 'Active',
        imageHash: undefined,
      },
      w.h.now,
    );
    const trial = w.h.state.trials.get('T-0001');
    expect(trial?.commissioned).toEqual([one]);
    expect(trial?.overCap.has(esmeEui(2))).toBe(true);
    expect(w.h.state.smi.get(esmeEui(2))?.status).toBe('Suspended');
    expect(sscTrialReport(w.h.state, w.h.now).trials[0]?.devices.map((d) => [d.deviceId, d.state])).toEqual([
      [one, 'inField'],
      [esmeEui(2), 'overCap'],
    ]);
  });

  it('TRIAL-OPR - a trial device’s failures before its first commissioning (8.1.1 ending in E21) stay out of the OPR basis', () => {
    const w = world(['0.9.0', '1.0.0', '1.0.0', '1.0.0', '1.0.0']);
    step(w, { kind: 'commission', device: 0, answer: 'none' });
    step(w, { kind: 'commission', device: 1, answer: 'none' });
    step(w, { kind: 'advance', ms: 61_000 });
    const timedOut = w.h.state.outcomes.filter((o) => o.srv === '8.1.1' && o.outcome === 'E21');
    expect(timedOut.map((o) => [o.device, o.trialDevice, o.trialId])).toEqual([
      [one, true, 'T-0001'],
      [esmeEui(2), false, undefined],
    ]);
    const opr = oprReport(w.h.state, w.h.now);
    expect(opr.excluded.byOutcome.E21).toBe(1);
    expect(opr.withoutTrialDevices.byOutcome.E21).toBe(1);
  });
});
