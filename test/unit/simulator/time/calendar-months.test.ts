import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, addMonths, daysInMonth, parseDuration } from '../../../../simulator/time/durations.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('calendar months clamp to the end of a shorter month (trial windows, TRIALS.md)', () => {
  it('MONTH-CLAMP - 6 months from 31 August ends at the end of February, not in March', () => {
    expect(iso(addMonths(at('2026-08-31T09:00:00Z'), 6))).toBe('2027-02-28T09:00:00.000Z');
    expect(iso(addMonths(at('2027-08-31T09:00:00Z'), 6))).toBe('2028-02-29T09:00:00.000Z');
    expect(iso(addDuration(at('2026-08-31T00:00:00Z'), parseDuration('6 months')))).toBe(
      '2027-02-28T00:00:00.000Z',
    );
  });

  it('MONTH-CLAMP-LEAP-DAY - a year from 29 February ends on 28 February; four years on, 29 February', () => {
    expect(iso(addMonths(at('2028-02-29T12:00:00Z'), 12))).toBe('2029-02-28T12:00:00.000Z');
    expect(iso(addMonths(at('2028-02-29T12:00:00Z'), 48))).toBe('2032-02-29T12:00:00.000Z');
    expect(iso(addMonths(at('2028-02-29T12:00:00Z'), 18))).toBe('2029-08-29T12:00:00.000Z');
  });

  it('MONTH-CLAMP-EVERY-MONTH-END - from every month end of 2024–2031, n months on is min(day, month length)', () => {
    for (let year = 2024; year <= 2031; year++) {
      for (let month = 0; month < 12; month++) {
        const last = daysInMonth(year, month);
        const from = Date.UTC(year, month, last, 9, 30);
        for (let n = 0; n <= 36; n++) {
          const to = new Date(addMonths(from, n));
          const targetYear = year + Math.floor((month + n) / 12);
          const targetMonth = (month + n) % 12;
          expect(to.getUTCFullYear()).toBe(targetYear);
          expect(to.getUTCMonth()).toBe(targetMonth);
          expect(to.getUTCDate()).toBe(Math.min(last, daysInMonth(targetYear, targetMonth)));
          expect(to.getUTCHours() * 60 + to.getUTCMinutes()).toBe(9 * 60 + 30);
        }
      }
    }
  });

  it('MONTH-CLAMP-PROPERTY - n months on lands in the nth month, day clamped, time kept, order kept', () => {
    const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) });
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 240 }), (from, n) => {
        const f = new Date(from);
        const t = new Date(addMonths(from, n));
        const months = (t.getUTCFullYear() - f.getUTCFullYear()) * 12 + t.getUTCMonth() - f.getUTCMonth();
        expect(months).toBe(n);
        expect(t.getUTCDate()).toBe(
          Math.min(f.getUTCDate(), daysInMonth(t.getUTCFullYear(), t.getUTCMonth())),
        );
        expect(addMonths(from, n) % 86_400_000).toBe(from % 86_400_000);
        // Never shorter than n-1 whole months and never beyond the nth month's end.
        expect(addMonths(from, n)).toBeGreaterThanOrEqual(from);
        expect(addMonths(from, n + 1)).toBeGreaterThanOrEqual(addMonths(from, n));
      }),
      { numRuns: 2000 },
    );
  });

  it('MONTH-WHOLE - a fractional number of months is an error, not a guess', () => {
    expect(() => addMonths(0, 1.5)).toThrow(/whole number/);
  });
});
