/**
 * Parses durations like `6 months`, `18 months`, `2 days`, `30 s`. Months are calendar months
 * from a given instant (18 months from 1 March ends on 1 September), because trial windows are
 * set in months (TRIALS.md).
 */
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  second: 1000,
  minute: 60_000,
  min: 60_000,
  hour: 3_600_000,
  h: 3_600_000,
  day: 86_400_000,
  d: 86_400_000,
  week: 604_800_000,
};

export interface Duration {
  readonly amount: number;
  readonly unit: 'ms' | 'month' | 'year';
}

export function parseDuration(text: string): Duration {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  if (!match) throw new RangeError(`duration "${text}" should look like "6 months", "2 days" or "30 s"`);
  const amount = Number(match[1]);
  const written = (match[2] as string).toLowerCase();
  // Accept plurals ("months") without mistaking "ms" or "s" for a plural.
  const unit =
    written in UNIT_MS || written === 'mo' || written === 'y' ? written : written.replace(/s$/, '');
  if (unit === 'month' || unit === 'mo') return { amount, unit: 'month' };
  if (unit === 'year' || unit === 'y') return { amount, unit: 'year' };
  const ms = UNIT_MS[unit];
  if (ms === undefined) {
    throw new RangeError(
      `duration "${text}": unknown unit "${unit}" (use ms, s, minutes, hours, days, weeks, months, years)`,
    );
  }
  return { amount: amount * ms, unit: 'ms' };
}

export function addDuration(from: number, duration: Duration): number {
  if (duration.unit === 'ms') return from + duration.amount;
  const months = duration.unit === 'year' ? duration.amount * 12 : duration.amount;
  if (!Number.isInteger(months)) throw new RangeError('months and years must be whole numbers');
  return addMonths(from, months);
}

export function addMonths(from: number, months: number): number {
  const date = new Date(from);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}
