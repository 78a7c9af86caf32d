import { describe, expect, it } from 'vitest';
import { median, NAGLE_EXTRA_MS, nagleVerdict } from '../../../../../simulator/adapters/mqtt/nagle-delay.js';

describe('nagleVerdict: does the broker hold its small writes back?', () => {
  it('sub-millisecond single and paired round trips (set_tcp_nodelay true): no delay', () => {
    const verdict = nagleVerdict({
      singleMs: [0.2, 0.3, 0.2, 3.1, 0.2],
      pairedMs: [0.4, 0.3, 3.8, 0.9, 0.2],
    });
    expect(verdict).toEqual({ roundTripMs: 0.2, pairedRoundTripMs: 0.4, nagleDelay: false });
  });

  it('paired round trips in the delayed-ACK range over sub-millisecond single ones (stock mosquitto): delay', () => {
    const verdict = nagleVerdict({
      singleMs: [0.25, 0.24, 0.14, 0.11, 0.14],
      pairedMs: [43.6, 44, 44, 52.6, 43.1],
    });
    expect(verdict).toEqual({ roundTripMs: 0.1, pairedRoundTripMs: 44, nagleDelay: true });
  });

  it('a slow network slows both kinds alike: a 40 ms link without Nagle is no delay', () => {
    expect(nagleVerdict({ singleMs: [40, 41, 39], pairedMs: [41, 42, 40] })?.nagleDelay).toBe(false);
    expect(nagleVerdict({ singleMs: [40, 41, 39], pairedMs: [84, 85, 83] })?.nagleDelay).toBe(true);
  });

  it('one stray sample does not decide: the medians do', () => {
    expect(nagleVerdict({ singleMs: [0.2, 0.2, 0.2], pairedMs: [0.3, 60, 0.3] })?.nagleDelay).toBe(false);
    expect(nagleVerdict({ singleMs: [0.2, 0.2, 0.2], pairedMs: [44, 0.3, 44] })?.nagleDelay).toBe(true);
  });

  it(`the threshold is ${NAGLE_EXTRA_MS} ms extra, inclusive`, () => {
    expect(nagleVerdict({ singleMs: [1], pairedMs: [1 + NAGLE_EXTRA_MS] })?.nagleDelay).toBe(true);
    expect(nagleVerdict({ singleMs: [1], pairedMs: [0.9 + NAGLE_EXTRA_MS] })?.nagleDelay).toBe(false);
  });

  it('no samples of a kind: no verdict (unknown, not "no delay")', () => {
    expect(nagleVerdict({ singleMs: [], pairedMs: [44] })).toBeUndefined();
    expect(nagleVerdict({ singleMs: [0.2], pairedMs: [] })).toBeUndefined();
  });

  it('median: the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});
