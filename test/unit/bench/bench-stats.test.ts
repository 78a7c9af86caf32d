import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AT_LEAST,
  AT_MOST,
  describeSpread,
  describeTarget,
  limitPerSecond,
  median,
  meets,
  spreadOf,
  weightedSum,
} from '../../../bench/bench-stats.js';

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });

describe('bench arithmetic: medians of interleaved rounds', () => {
  it('the median is the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(() => median([])).toThrow(RangeError);
  });

  it('the median ignores the order of the rounds and lies within their range', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 15 }), (values) => {
        const m = median(values);
        // Numeric equality, not Object.is: 0 and -0 are the same round figure in either order.
        expect(median([...values].reverse()) === m).toBe(true);
        expect(m).toBeGreaterThanOrEqual(Math.min(...values));
        expect(m).toBeLessThanOrEqual(Math.max(...values));
      }),
    );
  });

  it('one round hit by load moves the median of five not at all beyond its neighbours', () => {
    // Four steady rounds and one burst: a mean would drift, the median stays with the steady ones.
    expect(median([0.61, 0.6, 0.05, 0.62, 0.59])).toBe(0.6);
  });

  it('the spread is the range over the median, and says how many rounds it spans', () => {
    const spread = spreadOf([0.5, 0.6, 0.55, 0.65, 0.6]);
    expect(spread.median).toBe(0.6);
    expect(spread.min).toBe(0.5);
    expect(spread.max).toBe(0.65);
    expect(spread.relative).toBeCloseTo(0.25, 10);
    expect(spread.rounds).toBe(5);
    expect(describeSpread(spread)).toBe('0.60 (0.50–0.65 over 5 rounds, spread 25 %)');
    expect(describeSpread(spreadOf([0.42]))).toBe('0.42');
  });

  it('a spread is never negative and is zero only when every round agrees', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 9 }),
        (v) => {
          const { relative, min, max } = spreadOf(v);
          expect(relative).toBeGreaterThanOrEqual(0);
          expect(relative === 0).toBe(min === max);
        },
      ),
    );
  });
});

describe('bench arithmetic: limits and targets', () => {
  it('a limit on n cores is n times the one-core limit (work divides over the cores at best)', () => {
    expect(limitPerSecond(0.001, 1)).toBe(1_000);
    expect(limitPerSecond(0.001, 2)).toBe(2_000);
    expect(() => limitPerSecond(0, 2)).toThrow(RangeError);
    expect(() => limitPerSecond(0.001, 0)).toThrow(RangeError);
    expect(() => limitPerSecond(0.001, 1.5)).toThrow(RangeError);
  });

  it("an SR's seconds are the sum of each unit's count times its cost", () => {
    const counts = { brokerMessage: 5, envelope: 3, sign: 0 };
    const seconds = { brokerMessage: 16e-6, envelope: 4e-6, sign: 30e-6 };
    expect(weightedSum(counts, seconds)).toBeCloseTo(5 * 16e-6 + 3 * 4e-6, 15);
    expect(() => weightedSum({ a: 1 }, {} as { a: number })).toThrow(/no cost measured for a/);
  });

  it('a cheaper unit never lowers the limit', () => {
    fc.assert(
      fc.property(
        fc.record({ a: fc.nat(10), b: fc.nat(10) }),
        fc.record({
          a: fc.double({ min: 1e-7, max: 1e-3, noNaN: true }),
          b: fc.double({ min: 1e-7, max: 1e-3, noNaN: true }),
        }),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        (counts, seconds, factor) => {
          fc.pre(counts.a + counts.b > 0);
          const before = limitPerSecond(weightedSum(counts, seconds), 2);
          const after = limitPerSecond(weightedSum(counts, { ...seconds, a: seconds.a * factor }), 2);
          expect(after).toBeGreaterThanOrEqual(before * (1 - 1e-12));
        },
      ),
    );
  });

  it('a rate is held to at least its target and a cost to at most its target, the target itself included', () => {
    expect(meets(0.5, AT_LEAST(0.5))).toBe(true);
    expect(meets(0.49, AT_LEAST(0.5))).toBe(false);
    expect(meets(1.2, AT_MOST(1.2))).toBe(true);
    expect(meets(1.21, AT_MOST(1.2))).toBe(false);
    expect(describeTarget(AT_LEAST(0.5))).toBe('target ≥ 0.50');
    expect(describeTarget(AT_MOST(1.5))).toBe('target ≤ 1.50');
  });
});
