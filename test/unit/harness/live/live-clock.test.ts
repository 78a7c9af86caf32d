import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../../../harness/live/live-clock.js';

/** A stack that only records where it was asked to move, one move at a time. */
function fakeStack() {
  const moves: number[] = [];
  let running = 0;
  let overlapped = false;
  return {
    moves,
    clock: { now: () => moves.at(-1) ?? 0 },
    overlapped: () => overlapped,
    async advanceTo(target: number) {
      running++;
      if (running > 1) overlapped = true;
      await Promise.resolve();
      moves.push(target);
      running--;
      return target;
    },
  };
}

describe('the live clock: virtual time follows real time plus what was skipped by hand', () => {
  it('targets start + real elapsed + skipped, and each skip moves the stack there', async () => {
    let real = 1_000;
    const stack = fakeStack();
    const clock = new LiveClock(stack, 50_000, () => real);
    expect(clock.target()).toBe(50_000);
    real += 250;
    expect(clock.target()).toBe(50_250);
    await expect(clock.advanceBy(86_400_000)).resolves.toBe(50_250 + 86_400_000);
    real += 10;
    expect(clock.target()).toBe(50_260 + 86_400_000);
  });

  it('moves never overlap, and time never goes back', async () => {
    let real = 0;
    const stack = fakeStack();
    const clock = new LiveClock(stack, 0, () => real);
    const moves = [clock.advanceBy(10), clock.advanceBy(20), clock.advanceBy(5)];
    real = 3;
    await Promise.all(moves);
    expect(stack.overlapped()).toBe(false);
    expect([...stack.moves].sort((a, b) => a - b)).toEqual(stack.moves);
    expect(stack.moves.at(-1)).toBe(38);
  });

  it('refuses to go backwards', async () => {
    const clock = new LiveClock(fakeStack(), 0, () => 0);
    await expect(clock.advanceBy(-1)).rejects.toThrow(/cannot advance by -1/);
  });
});
