import { describe, expect, it } from 'vitest';
import { FaultPlan } from '../../../../../simulator/adapters/faults/fault-plan.js';
import type { LinkFaultRule } from '../../../../../simulator/adapters/faults/link-fault.js';
import { SeededRandom } from '../../../../../simulator/time/seeded-random.js';

const rule = (overrides: Partial<LinkFaultRule> = {}): LinkFaultRule => ({
  from: 'dcc',
  to: 'esme1',
  action: 'drop',
  count: 1,
  after: 0,
  probability: 1,
  delayMs: 0,
  ...overrides,
});

function decisions(plan: FaultPlan, n: number, from = 'dcc', to = 'esme1'): string[] {
  return Array.from({ length: n }, () => plan.decide(from, to, 100).kind);
}

describe('fault plan (per-link rules)', () => {
  it('hits only its own link and direction', () => {
    const plan = new FaultPlan(new SeededRandom('s'));
    plan.add(rule());
    expect(plan.decide('esme1', 'dcc', 10).kind).toBe('pass');
    expect(plan.decide('dcc', 'esme2', 10).kind).toBe('pass');
    expect(plan.decide('dcc', 'esme1', 10).kind).toBe('drop');
  });

  it('lets `after` messages pass, hits `count`, then retires', () => {
    const plan = new FaultPlan(new SeededRandom('s'));
    plan.add(rule({ after: 2, count: 2, action: 'duplicate' }));
    expect(decisions(plan, 6)).toEqual(['pass', 'pass', 'duplicate', 'duplicate', 'pass', 'pass']);
    expect(plan.activeRules).toHaveLength(0);
  });

  it('an "all" rule keeps hitting until cleared, and clear is per link', () => {
    const plan = new FaultPlan(new SeededRandom('s'));
    plan.add(rule({ count: Number.POSITIVE_INFINITY }));
    plan.add(rule({ from: 'supplier-a', to: 'dcc', count: Number.POSITIVE_INFINITY }));
    expect(decisions(plan, 3)).toEqual(['drop', 'drop', 'drop']);
    expect(plan.clear({ from: 'dcc', to: 'esme1' })).toBe(1);
    expect(decisions(plan, 2)).toEqual(['pass', 'pass']);
    expect(plan.decide('supplier-a', 'dcc', 5).kind).toBe('drop');
    expect(plan.clear()).toBe(1);
    expect(plan.decide('supplier-a', 'dcc', 5).kind).toBe('pass');
  });

  it('probabilistic rules are deterministic for a seed and differ between seeds', () => {
    const run = (seed: string) => {
      const plan = new FaultPlan(new SeededRandom(seed));
      plan.add(rule({ count: Number.POSITIVE_INFINITY, probability: 0.5 }));
      return decisions(plan, 64).join(',');
    };
    expect(run('a')).toBe(run('a'));
    expect(run('a')).not.toBe(run('b'));
    const hits = run('a')
      .split(',')
      .filter((d) => d === 'drop').length;
    expect(hits).toBeGreaterThan(10);
    expect(hits).toBeLessThan(54);
  });

  it('a corruption always changes a byte inside the message', () => {
    const plan = new FaultPlan(new SeededRandom('s'));
    plan.add(rule({ action: 'corrupt', count: 200 }));
    for (let i = 0; i < 200; i++) {
      const d = plan.decide('dcc', 'esme1', 37);
      if (d.kind !== 'corrupt') throw new Error('expected a corruption');
      expect(d.byteIndex).toBeGreaterThanOrEqual(0);
      expect(d.byteIndex).toBeLessThan(37);
      expect(d.mask).toBeGreaterThan(0);
      expect(d.mask).toBeLessThan(256);
    }
  });

  it('refuses a probability outside 0..1 and a rule that hits nothing', () => {
    const plan = new FaultPlan(new SeededRandom('s'));
    expect(() => plan.add(rule({ probability: 1.5 }))).toThrow(/probability/);
    expect(() => plan.add(rule({ count: 0 }))).toThrow(/at least one/);
  });

  it('reports every armed rule and every hit to its observer (for the trace)', () => {
    const seen: string[] = [];
    const plan = new FaultPlan(new SeededRandom('s'), (e) => seen.push(e.summary));
    plan.add(rule({ action: 'delay', delayMs: 5000 }));
    plan.decide('dcc', 'esme1', 10);
    expect(seen).toEqual([
      'fault armed: delay 1 message dcc -> esme1 (by 5000 ms)',
      'fault: delayed a message by 5000 ms (delay 1 message dcc -> esme1 (by 5000 ms))',
    ]);
  });

  it('clock skew: a device clock reads true time plus its skew; others are untouched', () => {
    const plan = new FaultPlan(new SeededRandom('s'));
    const base = { now: () => 1_000_000 };
    const skewed = plan.clockFor('esme1', base);
    const other = plan.clockFor('esme2', base);
    expect(skewed.now()).toBe(1_000_000);
    plan.setSkew('esme1', -600_000);
    expect(skewed.now()).toBe(400_000);
    expect(other.now()).toBe(1_000_000);
  });
});
