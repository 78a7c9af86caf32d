import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Eui } from '../../../../../simulator/domain/eui.js';
import type { Trial } from '../../../../../simulator/domain/trial/trial.js';
import {
  approve,
  type DccHarness,
  esmeEui,
  newHarness,
  putDevice,
  type Sent,
  START,
  SUPPLIER_A,
  SUPPLIER_B,
} from '../../../../support/dcc-fixture.js';

/**
 * TRIALS.md "Limits": the cap and the window are hard limits. Whatever the order of requests —
 * CV 4 and CV 5 of several commissionings interleaved, device answers (success or failure) in
 * any order, deadlines passing (E21), decommissioning, time crossing the start and end dates —
 * the devices commissioned under a trial never exceed its cap, each counts once, and none is
 * accepted for commissioning outside the window.
 */
const DAY = 86_400_000;
const DEVICES = 6;

type Action =
  | { kind: 'cv4'; device: number }
  | { kind: 'cv5'; pick: number }
  | { kind: 'answer'; pick: number; success: boolean }
  | { kind: 'advance'; ms: number }
  | { kind: 'decommission'; device: number };

// Weighted so that whole commissionings (CV 4, CV 5, answer) happen often enough to hit a cap.
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('cv4' as const), device: fc.nat(DEVICES - 1) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('cv5' as const), pick: fc.nat(20) }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(20), success: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 90_000 }), fc.integer({ min: 0, max: 20 * DAY })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('decommission' as const), device: fc.nat(DEVICES - 1) }),
  },
);

interface World {
  readonly h: DccHarness;
  readonly trial: Trial;
  readonly transforms: { from: Eui; sent: Sent }[];
  readonly inFlight: { device: Eui; counter: number }[];
}

/** `startOffset`: the trial starts this long after the world does (negative: already running). */
function newWorld(cap: number, startOffset = DAY): World {
  const h = newHarness();
  const trial = approve(h, { maxDevices: cap, durationMonths: 1 }, { start: START + startOffset });
  for (let i = 0; i < DEVICES; i++) {
    // The last device belongs to supplier B, who is not the sponsor: always refused.
    putDevice(h.state, esmeEui(i + 1), 'InstalledNotCommissioned', undefined, {
      supplier: i === DEVICES - 1 ? SUPPLIER_B : SUPPLIER_A,
    });
  }
  return { h, trial, transforms: [], inFlight: [] };
}

function step(world: World, a: Action): void {
  const { h } = world;
  switch (a.kind) {
    case 'cv4': {
      const device = esmeEui(a.device + 1);
      const from = h.state.smi.get(device)?.supplier ?? SUPPLIER_A;
      const sent = h.send(from, '8.1.1', { target: device, cv: 4 });
      if (sent.response.preCommand !== undefined) world.transforms.push({ from, sent });
      break;
    }
    case 'cv5': {
      const t = world.transforms.splice(a.pick % Math.max(1, world.transforms.length), 1)[0];
      if (t === undefined) break;
      const sent = h.cv5(t.from, t.sent);
      const device = t.sent.requestId.split(':')[1] as Eui;
      if (sent.response.responseCode === 'I99') world.inFlight.push({ device, counter: sent.counter });
      break;
    }
    case 'answer': {
      const p = world.inFlight.splice(a.pick % Math.max(1, world.inFlight.length), 1)[0];
      if (p !== undefined)
        h.deviceAnswers(p.device, p.counter, { status: a.success ? 'success' : 'failure' });
      break;
    }
    case 'advance':
      h.advanceTo(h.now + a.ms);
      break;
    case 'decommission':
      h.send(SUPPLIER_A, '8.3', { cv: 8, body: { deviceId: esmeEui(a.device + 1) } });
      break;
  }
}

function checkInvariants(world: World, cap: number): void {
  const { trial, h } = world;
  // The cap: every device ever commissioned, plus the slots held by commands in flight.
  expect(new Set(trial.commissioned).size).toBe(trial.commissioned.length);
  const held = [...trial.reserved].filter((d) => !trial.commissioned.includes(d as Eui));
  expect(trial.commissioned.length + held.length).toBeLessThanOrEqual(cap);
  // Every SMI record on the trial is one the trial counted.
  for (const record of h.state.smi.values()) {
    if (record.trialId === trial.trialId) expect(trial.commissioned).toContain(record.deviceId);
  }
}

describe('trial limits hold whatever the order of requests (TRIALS.md "Limits")', () => {
  it('TRIAL-CAP and TRIAL-WINDOW - never more than the cap, never accepted outside the window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(-DAY, 0, DAY),
        fc.array(action, { maxLength: 80 }),
        (cap, startOffset, actions) => {
          const world = newWorld(cap, startOffset);
          for (const a of actions) {
            step(world, a);
            checkInvariants(world, cap);
          }
          // Every successful commissioning of a trial device was accepted (CV 5, when the slot
          // was reserved) inside the window.
          for (const o of world.h.state.outcomes) {
            if (o.srv !== '8.1.1' || o.outcome !== 'I0') continue;
            expect(o.requestedAt).toBeGreaterThanOrEqual(world.trial.start);
            expect(o.requestedAt).toBeLessThan(world.trial.end);
          }
          // Supplier B is not the sponsor: its device is never commissioned.
          expect(world.trial.commissioned).not.toContain(esmeEui(DEVICES));
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('TRIAL-CAP - concurrent CV 4s for more devices than the cap: the CV 5s beyond it are refused', () => {
    const world = newWorld(2);
    world.h.advanceTo(START + 2 * DAY);
    const cv4s = [1, 2, 3, 4].map((n) => world.h.send(SUPPLIER_A, '8.1.1', { target: esmeEui(n), cv: 4 }));
    expect(cv4s.map((s) => s.response.responseCode)).toEqual(['I0', 'I0', 'I0', 'I0']);
    const cv5s = cv4s.map((s) => world.h.cv5(SUPPLIER_A, s));
    expect(cv5s.map((s) => s.response.responseCode)).toEqual(['I99', 'I99', 'E5', 'E5']);
    expect(cv5s[2]?.response.rule).toBe('TRIAL-CAP');
    // A failed commissioning gives its slot back.
    world.h.deviceAnswers(esmeEui(1), cv5s[0]?.counter as number, { status: 'failure' });
    const retry = world.h.sendCritical(SUPPLIER_A, '8.1.1', esmeEui(3));
    expect(retry.response.responseCode).toBe('I99');
  });
});
