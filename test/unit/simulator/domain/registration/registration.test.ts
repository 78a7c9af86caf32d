import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEui } from '../../../../../simulator/domain/eui.js';
import {
  devicesRegisteredTo,
  newRegistrationData,
  register,
  registeredAt,
  registrationHistory,
} from '../../../../../simulator/domain/registration/registration.js';

/** Registration data (DCC.md §9): who is registered for a metering point from when. */
const DEVICE = parseEui('00-12-4B-00-00-00-01-01');
const OTHER = parseEui('00-12-4B-00-00-00-01-02');
const A = parseEui('90-B3-D5-1F-30-01-00-00');
const B = parseEui('90-B3-D5-1F-30-03-00-00');
const C = parseEui('90-B3-D5-1F-30-04-00-00');

describe('registration data', () => {
  it('answers with the period in force at an instant, future-dated periods included', () => {
    const data = newRegistrationData();
    register(data, DEVICE, 'supplier', { party: A, from: 100, cause: '12.2' });
    register(data, DEVICE, 'supplier', { party: B, from: 300, cause: 'CoS' });
    expect(registeredAt(data, DEVICE, 'supplier', 99)).toBeUndefined();
    expect(registeredAt(data, DEVICE, 'supplier', 100)?.party).toBe(A);
    expect(registeredAt(data, DEVICE, 'supplier', 299)?.party).toBe(A);
    expect(registeredAt(data, DEVICE, 'supplier', 300)?.party).toBe(B);
    expect(registeredAt(data, DEVICE, 'networkOperator', 300)).toBeUndefined();
    expect(devicesRegisteredTo(data, 'supplier', A, 200)).toEqual([DEVICE]);
    expect(devicesRegisteredTo(data, 'supplier', A, 300)).toEqual([]);
  });

  it('a period at the same instant replaces the earlier one (a corrected feed)', () => {
    const data = newRegistrationData();
    register(data, DEVICE, 'supplier', { party: B, from: 300, cause: 'CoS' });
    register(data, DEVICE, 'supplier', { party: C, from: 300, cause: 'CoS' });
    expect(registrationHistory(data, DEVICE, 'supplier').map((p) => p.party)).toEqual([C]);
    expect(registrationHistory(data, OTHER, 'supplier')).toEqual([]);
  });

  it('whatever order the feed arrives in, the history is in time order with one party per instant', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ party: fc.constantFrom(A, B, C), from: fc.integer({ min: 0, max: 50 }) }), {
          maxLength: 20,
        }),
        (feed) => {
          const data = newRegistrationData();
          for (const { party, from } of feed)
            register(data, DEVICE, 'supplier', { party, from, cause: 'CoS' });
          const history = registrationHistory(data, DEVICE, 'supplier');
          const froms = history.map((p) => p.from);
          expect(froms).toEqual([...new Set(froms)].sort((x, y) => x - y));
          // The last word for each instant wins.
          for (const period of history) {
            expect(period.party).toBe(feed.filter((f) => f.from === period.from).at(-1)?.party);
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
