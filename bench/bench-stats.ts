/**
 * The bench's arithmetic over rounds, kept pure so it is unit-tested (test/unit/bench/).
 *
 * Why medians of interleaved rounds: on a shared machine the load changes from one second to the
 * next. A round measures the limit's units and the end-to-end rate one right after the other, so a
 * busy moment slows both sides of a ratio alike; the median of the rounds' ratios then drops the
 * rounds a burst of load hit unevenly, where a "best of" would keep the luckiest.
 */

import { median } from '../simulator/adapters/mqtt/nagle-delay.js';

// The median (the mean of the middle two for an even count): one definition, the broker probe's.
export { median };

/** What a figure did over the rounds: its median, its range and the range relative to the median. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max − min) / median: 0.1 means the rounds spread over 10 % of the figure. */
  readonly relative: number;
  readonly rounds: number;
}

export function spreadOf(values: readonly number[]): Spread {
  const mid = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { median: mid, min, max, relative: mid === 0 ? 0 : (max - min) / mid, rounds: values.length };
}

/** A ratio and the target it is held to: `atLeast` (a rate against its limit) or `atMost` (a cost against its floor). */
export interface Target {
  readonly kind: 'atLeast' | 'atMost';
  readonly value: number;
}

export const AT_LEAST = (value: number): Target => ({ kind: 'atLeast', value });
export const AT_MOST = (value: number): Target => ({ kind: 'atMost', value });

export function meets(ratio: number, target: Target): boolean {
  return target.kind === 'atLeast' ? ratio >= target.value : ratio <= target.value;
}

export function describeTarget(target: Target): string {
  return `target ${target.kind === 'atLeast' ? '≥' : '≤'} ${target.value.toFixed(2)}`;
}

/** "0.62 (0.55–0.66 over 5 rounds, spread 18 %)". */
export function describeSpread(spread: Spread, digits = 2): string {
  const range =
    spread.rounds > 1
      ? ` (${spread.min.toFixed(digits)}–${spread.max.toFixed(digits)} over ${spread.rounds} rounds, spread ${(spread.relative * 100).toFixed(0)} %)`
      : '';
  return `${spread.median.toFixed(digits)}${range}`;
}

/**
 * A limit on `cores` cores from the seconds one unit of work needs on one: the work divides over
 * the cores at best, so the limit is cores / seconds. One core gives the old strict figure.
 */
export function limitPerSecond(secondsPerUnit: number, cores: number): number {
  if (!(secondsPerUnit > 0)) throw new RangeError(`seconds per unit must be positive, got ${secondsPerUnit}`);
  if (!Number.isInteger(cores) || cores < 1)
    throw new RangeError(`cores must be a positive integer, got ${cores}`);
  return cores / secondsPerUnit;
}

/** Seconds per SR as the weighted sum of unit costs: Σ count(unit) × seconds(unit). */
export function weightedSum<K extends string>(
  counts: Readonly<Record<K, number>>,
  seconds: Readonly<Record<K, number>>,
): number {
  let sum = 0;
  for (const unit of Object.keys(counts) as K[]) {
    const each = seconds[unit];
    if (each === undefined) throw new RangeError(`no cost measured for ${unit}`);
    sum += counts[unit] * each;
  }
  return sum;
}
