import { describe, expect, it } from 'vitest';
import { addDuration, addMonths, parseDuration } from '../../../../simulator/time/durations.js';
import { VirtualClock } from '../../../../simulator/time/virtual-clock.js';

const START = Date.parse('2027-01-04T09:00:00Z');

describe('virtual clock', () => {
  it('fires timers in time order, ties in the order they were set', async () => {
    const clock = new VirtualClock(START);
    const fired: string[] = [];
    clock.schedule(START + 3000, 'c', () => fired.push('c'));
    clock.schedule(START + 1000, 'a', () => fired.push('a'));
    clock.schedule(START + 1000, 'b', () => fired.push('b'));
    clock.schedule(START + 9000, 'late', () => fired.push('late'));
    await clock.advanceTo(START + 5000, async () => {});
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(START + 5000);
  });

  it('runs each timer at its own instant and settles after each', async () => {
    const clock = new VirtualClock(START);
    const seen: [string, number][] = [];
    clock.schedule(START + 10, 'x', () => seen.push(['fire', clock.now()]));
    clock.schedule(START + 20, 'y', () => seen.push(['fire', clock.now()]));
    await clock.advanceTo(START + 100, async () => {
      seen.push(['settle', clock.now()]);
    });
    expect(seen).toEqual([
      ['fire', START + 10],
      ['settle', START + 10],
      ['fire', START + 20],
      ['settle', START + 20],
    ]);
  });

  it('a timer set while advancing fires in the same advance if it is due', async () => {
    const clock = new VirtualClock(START);
    const fired: number[] = [];
    clock.schedule(START + 10, 'first', () => {
      fired.push(clock.now());
      clock.schedule(START + 20, 'second', () => fired.push(clock.now()));
    });
    await clock.advanceTo(START + 30, async () => {});
    expect(fired).toEqual([START + 10, START + 20]);
  });

  it('cancelled timers never fire', async () => {
    const clock = new VirtualClock(START);
    let fired = false;
    const handle = clock.schedule(START + 10, 'x', () => {
      fired = true;
    });
    clock.cancel(handle);
    expect(await clock.advanceTo(START + 100, async () => {})).toBe(0);
    expect(fired).toBe(false);
  });

  it('advancing 18 months with nothing scheduled fires nothing and lands on the date', async () => {
    const clock = new VirtualClock(START);
    const target = addMonths(START, 18);
    expect(await clock.advanceTo(target, async () => {})).toBe(0);
    expect(new Date(clock.now()).toISOString()).toBe('2028-07-04T09:00:00.000Z');
  });
});

describe('durations', () => {
  it('parses the units scenarios use', () => {
    expect(parseDuration('30 s')).toEqual({ amount: 30_000, unit: 'ms' });
    expect(parseDuration('250 ms')).toEqual({ amount: 250, unit: 'ms' });
    expect(parseDuration('2 days')).toEqual({ amount: 2 * 86_400_000, unit: 'ms' });
    expect(parseDuration('18 months')).toEqual({ amount: 18, unit: 'month' });
    expect(parseDuration('1 year')).toEqual({ amount: 1, unit: 'year' });
  });

  it('months are calendar months (TRIALS.md windows are set in months)', () => {
    expect(
      new Date(addDuration(Date.parse('2027-03-01T00:00:00Z'), parseDuration('18 months'))).toISOString(),
    ).toBe('2028-09-01T00:00:00.000Z');
  });

  it('refuses an unknown unit, naming the units it knows', () => {
    expect(() => parseDuration('3 fortnights')).toThrow(/unknown unit "fortnight".*months/);
    expect(() => parseDuration('soon')).toThrow(/should look like/);
  });
});
