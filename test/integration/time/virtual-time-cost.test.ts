import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLEET_CPL } from '../../../harness/fleet/fleet-devices.js';
import { SimStack } from '../../../harness/stack/sim-stack.js';
import { VirtualClock } from '../../../simulator/time/virtual-clock.js';

const START = Date.UTC(2026, 0, 1);
const MONTH = 30.44 * 86_400_000;

/** Advances a clock with a settle callback that counts how often the harness would settle. */
async function advanceCounting(
  clock: VirtualClock,
  target: number,
): Promise<{ fired: number; settles: number }> {
  let settles = 0;
  const fired = await clock.advanceTo(target, async () => {
    settles++;
  });
  return { fired, settles };
}

describe('virtual time costs work per event, not per unit of time that passes', () => {
  it('advancing 18 months with nothing scheduled fires nothing and settles nothing: one step', async () => {
    const clock = new VirtualClock(START);
    expect(await advanceCounting(clock, START + 18 * MONTH)).toEqual({ fired: 0, settles: 0 });
    expect(clock.now()).toBe(START + 18 * MONTH);
  });

  it('the work done is one step per timer due, whatever the span (1 hour or 100 years)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 18 * 31 * 86_400_000 }), { maxLength: 60 }),
        fc.integer({ min: 3_600_000, max: 100 * 12 * 31 * 86_400_000 }),
        async (offsets, span) => {
          const clock = new VirtualClock(START);
          for (const offset of offsets) clock.schedule(START + offset, 'event', () => undefined);
          const due = offsets.filter((offset) => offset <= span).length;
          expect(await advanceCounting(clock, START + span)).toEqual({ fired: due, settles: due });
          expect(clock.scheduledCount).toBe(offsets.length - due);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('a whole stack (broker, DCC, suppliers) with nothing scheduled advances 18 months in one step', async () => {
    const stack = await SimStack.start({
      seed: 'virtual-time-cost',
      start: START,
      devices: [],
      cpl: FLEET_CPL,
    });
    try {
      // No SR in flight: nothing is scheduled, so 18 months pass in one step.
      expect(stack.clock.scheduledCount).toBe(0);
      expect(await stack.advanceTo(START + 18 * MONTH)).toBe(0);
      expect(stack.clock.now()).toBe(START + 18 * MONTH);
    } finally {
      await stack.stop();
    }
  });
});
