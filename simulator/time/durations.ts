/**
 * Parses durations like `6 months`, `18 months`, `2 days`, `30 s`. Months are calendar months
 * from a given instant (18 months from 1 March ends on 1 September; a day the target month lacks is
 * clamped to its end), because trial windows are
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

/** Days in a month of the proleptic Gregorian calendar (month 0 = January). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * `months` calendar months on from `from` (UTC), the time of day kept. A day that the target month
 * does not have is clamped to that month's last day: 6 months from 31 August ends on the last day
 * of February (28th, or 29th in a leap year), never in March — a trial must not run longer than
 * its months (JavaScript's setUTCMonth would roll over into the next month).
 */
export function addMonths(from: number, months: number): number {
  if (!Number.isInteger(months)) throw new RangeError(`months must be a whole number, not ${months}`);
  const date = new Date(from);
  const total = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
  const result = new Date(from);
  result.setUTCFullYear(year, month, day);
  return result.getTime();
}
