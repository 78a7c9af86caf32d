import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dispatchOrder } from '../../../../harness/suite/dispatch-order.js';

const withDevices = (counts: readonly number[]) =>
  counts.map((count) => ({ devices: Array.from({ length: count }, (_, i) => ({ id: `d${i}` })) as never[] }));

describe('dispatchOrder: the order --parallel workers take scenarios in', () => {
  it('puts the scenario with the most devices first, as the built-in suite’s 100-device trial', () => {
    expect(dispatchOrder(withDevices([2, 3, 101, 2, 5]))).toEqual([2, 4, 1, 0, 3]);
  });

  it('is every scenario once, biggest first, equal ones in file order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 6 }), { maxLength: 40 }), (counts) => {
        const order = dispatchOrder(withDevices(counts));
        expect([...order].sort((a, b) => a - b)).toEqual(counts.map((_, i) => i));
        for (let i = 1; i < order.length; i++) {
          const before = counts[order[i - 1] as number] as number;
          const after = counts[order[i] as number] as number;
          expect(
            before > after || (before === after && (order[i - 1] as number) < (order[i] as number)),
          ).toBe(true);
        }
      }),
    );
  });
});
