import type { Random } from '../../ports/random.js';
import type { Eui } from '../eui.js';

/**
 * Consumer churn for fleet scenarios: each device switches supplier as a Poisson process with a
 * monthly rate (the chance it churns in a given month), to a supplier drawn uniformly from the
 * others. Pure and seeded: the same seed, devices and window give the same events, and each
 * device draws from its own stream (`random.fork(device)`), so adding a device leaves the
 * others' churn unchanged.
 */
export interface ChurnPlanInput {
  /** Each device and the supplier registered for it when the window opens. */
  readonly devices: readonly { readonly device: Eui; readonly supplier: Eui }[];
  /** The suppliers consumers move between (at least two). */
  readonly suppliers: readonly Eui[];
  /** Probability in [0, 1) that a device churns within one month. */
  readonly ratePerMonth: number;
  readonly start: number;
  readonly end: number;
  readonly random: Random;
}

export interface ChurnEvent {
  readonly at: number;
  readonly device: Eui;
  readonly from: Eui;
  readonly to: Eui;
}

/** Mean Gregorian month, for a rate "per month" over a window that is not whole months. */
export const MONTH_MS = (365.2425 / 12) * 86_400_000;

export function planChurn(input: ChurnPlanInput): ChurnEvent[] {
  const { suppliers, ratePerMonth, start, end } = input;
  if (!(ratePerMonth >= 0 && ratePerMonth < 1)) {
    throw new RangeError(`churn rate ${ratePerMonth} per month must be in [0, 1)`);
  }
  if (new Set(suppliers).size < 2) throw new RangeError('churn needs at least two different suppliers');
  if (end < start) throw new RangeError('churn window ends before it starts');
  if (ratePerMonth === 0) return [];
  // P(churn within a month) = 1 - exp(-λ·month)  ⇒  λ = -ln(1 - p) / month.
  const lambda = -Math.log(1 - ratePerMonth) / MONTH_MS;
  // A rate too small to register in floating point is no churn at all.
  if (!(lambda > 0)) return [];
  const events: ChurnEvent[] = [];
  for (const { device, supplier } of input.devices) {
    const random = input.random.fork(device);
    let at = start;
    let current = supplier;
    for (;;) {
      // Exponential waiting time; 1 - u is in (0, 1], so the logarithm is finite. At least 1 ms,
      // so every loop moves time on.
      const wait = Math.max(1, Math.ceil(-Math.log(1 - random.nextFloat()) / lambda));
      at += wait;
      if (!(at <= end)) break;
      const others = suppliers.filter((s) => s !== current);
      const to = others[random.nextUint32() % others.length] as Eui;
      events.push({ at, device, from: current, to });
      current = to;
    }
  }
  return events.sort((a, b) => a.at - b.at || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0));
}
