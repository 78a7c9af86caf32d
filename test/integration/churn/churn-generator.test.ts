import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosSucceeded, registeredSupplierName, startChurn } from '../../../harness/stack/churn-operations.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { MONTH_MS, planChurn } from '../../../simulator/domain/churn/churn-generator.js';
import { type Eui, parseEui } from '../../../simulator/domain/eui.js';
import { SeededRandom } from '../../../simulator/time/seeded-random.js';
import { EUI, esme, START, startChurnStack, supplierOnDevice } from '../../support/churn-world.js';

/** The seeded churn generator: pure planning, then churn run over the broker. */
const SUPPLIERS = [EUI.a, EUI.b, EUI.c];

function fleet(n: number): { device: Eui; supplier: Eui }[] {
  return Array.from({ length: n }, (_, i) => ({
    device: parseEui(
      `00-12-4B-00-00-01-${(i >> 8).toString(16).padStart(2, '0')}-${(i & 255).toString(16).padStart(2, '0')}`,
    ),
    supplier: EUI.a,
  }));
}

function plan(seed: string, devices = fleet(50), ratePerMonth = 0.1, months = 12) {
  return planChurn({
    devices,
    suppliers: SUPPLIERS,
    ratePerMonth,
    start: START,
    end: START + months * MONTH_MS,
    random: new SeededRandom(seed, 'churn'),
  });
}

describe('planChurn', () => {
  it('is deterministic: the same seed gives the same events; another seed, others', () => {
    expect(plan('s1')).toEqual(plan('s1'));
    expect(plan('s1')).not.toEqual(plan('s2'));
  });

  it("adding a device leaves the other devices' churn unchanged (one stream per device)", () => {
    const small = plan('s1', fleet(10));
    const large = plan('s1', fleet(11)).filter((e) => small.some((s) => s.device === e.device));
    expect(large).toEqual(small);
  });

  it('events are in time order inside the window, and each moves a device to another supplier it continues from', () => {
    fc.assert(
      fc.property(fc.string(), fc.double({ min: 0, max: 0.9, noNaN: true }), (seed, rate) => {
        const events = plan(seed, fleet(5), rate, 6);
        const current = new Map(fleet(5).map((d) => [d.device, d.supplier]));
        let last = START;
        for (const event of events) {
          expect(event.at).toBeGreaterThanOrEqual(last);
          expect(event.at).toBeLessThanOrEqual(START + 6 * MONTH_MS);
          expect(event.to).not.toBe(event.from);
          expect(event.from).toBe(current.get(event.device));
          current.set(event.device, event.to);
          last = event.at;
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('the rate is a monthly probability: about 10% of devices churn in the first month at 0.1', () => {
    const events = plan('rate', fleet(2000), 0.1, 1);
    const churned = new Set(events.map((e) => e.device)).size;
    // Binomial(2000, 0.1): mean 200, sd ≈ 13.4; ±5 sd cannot fail by chance in practice.
    expect(churned).toBeGreaterThan(133);
    expect(churned).toBeLessThan(267);
  });

  it('a rate of 0 churns nobody; bad rates and a single supplier are refused', () => {
    expect(plan('zero', fleet(10), 0)).toEqual([]);
    expect(() => plan('bad', fleet(1), 1)).toThrow(/\[0, 1\)/);
    expect(() =>
      planChurn({
        devices: fleet(1),
        suppliers: [EUI.a],
        ratePerMonth: 0.1,
        start: 0,
        end: 1,
        random: new SeededRandom('x'),
      }),
    ).toThrow(/two different suppliers/);
  });
});

describe('churn over the broker: 6 devices, 30% a month, 6 months', () => {
  const DEVICES = [1, 2, 3, 4, 5, 6].map((n) => esme(n));
  let stack: SimStack;
  let run: ReturnType<typeof startChurn>;
  beforeAll(async () => {
    stack = await startChurnStack('churn-fleet', DEVICES);
    run = startChurn(stack, {
      devices: DEVICES.map((d) => d.eui),
      suppliers: ['supplier-a', 'supplier-b', 'supplier-c'],
      ratePerMonth: 0.3,
      until: START + 6 * MONTH_MS,
      label: 'test',
    });
    await stack.advanceTo(START + 6 * MONTH_MS + 60_000);
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('every planned switch ran as a Change of Supplier that the device confirmed', () => {
    expect(run.planned.length).toBeGreaterThan(0);
    expect(run.completed.length + run.skipped.length).toBe(run.planned.length);
    expect(run.completed.every((c) => cosSucceeded(c.outcome))).toBe(true);
  });

  it('afterwards each device has one supplier: the registered one, in the SMI and on the device', () => {
    for (const device of DEVICES) {
      const registered = registeredSupplierName(stack, device.eui) as string;
      const eui = stack.user(registered).eui;
      expect(stack.dcc.core.state.smi.get(device.eui)?.supplier, device.id).toBe(eui);
      expect(supplierOnDevice(stack, device.id), device.id).toBe(eui);
      const last = [...run.planned].reverse().find((e) => e.device === device.eui);
      expect(eui, device.id).toBe(last?.to ?? EUI.a);
    }
  });
});
