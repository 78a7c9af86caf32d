import { describe, expect, it } from 'vitest';
import { limitPerSecond, weightedSum } from '../../../bench/bench-stats.js';
import {
  bareSeconds,
  SR_RECIPES,
  secondsPerSr,
  type UnitCosts,
  wrappedSeconds,
} from '../../../bench/sr-limit.js';

/** Unit costs where every trialsim function costs `wrapped` µs and every bare primitive `bare` µs. */
function costs(wrapped: number, bare: number, broker = 16): UnitCosts {
  const c = (us: number) => ({ wall: us * 1e-6, cpu: us * 1e-6 * 0.9 });
  return {
    brokerMessage: c(broker),
    envelope: c(wrapped),
    gbcsPayload: c(wrapped),
    macCompute: c(wrapped),
    macCheck: c(wrapped),
    sign: c(wrapped),
    verify: c(wrapped),
    ecdh: c(wrapped),
    messageBytes: { read: [], critical: [] },
    bare: {
      cbor: c(bare),
      gbcsCodec: c(bare),
      kdfGcm: c(bare),
      sign: c(bare),
      verify: c(bare),
      ecdh: c(bare),
    },
  };
}

describe('bench limit: what one SR needs', () => {
  it("11.2's recipe is DCC.md §2's flow: 5 messages, 3 envelopes, 2 GBCS payloads, 2 MACs made and 1 checked, no signature", () => {
    expect(SR_RECIPES.read).toEqual({
      brokerMessage: 5,
      envelope: 3,
      gbcsPayload: 2,
      macCompute: 2,
      macCheck: 1,
      sign: 0,
      verify: 0,
    });
    expect(SR_RECIPES.critical.brokerMessage).toBe(7);
    expect(SR_RECIPES.critical.sign).toBe(2);
    expect(SR_RECIPES.critical.verify).toBe(2);
  });

  it('the strict limit sums trialsim’s own units; the bare limit the bare primitives, broker stream shared', () => {
    const unit = costs(10, 4);
    // 11.2: 5 × 16 µs broker + 8 other units.
    expect(secondsPerSr('read', unit, undefined)).toBeCloseTo((5 * 16 + 8 * 10) * 1e-6, 12);
    expect(weightedSum(SR_RECIPES.read, wrappedSeconds(unit))).toBeCloseTo(
      secondsPerSr('read', unit, undefined),
      15,
    );
    expect(weightedSum(SR_RECIPES.read, bareSeconds(unit))).toBeCloseTo((5 * 16 + 8 * 4) * 1e-6, 12);
    // The same sums by CPU time.
    expect(weightedSum(SR_RECIPES.read, bareSeconds(unit, 'cpu'))).toBeCloseTo((5 * 16 + 8 * 4) * 0.9e-6, 12);
  });

  it('an SR at half the two-core bare limit is at the target whatever the wrappers cost', () => {
    const unit = costs(25, 5);
    const limit = limitPerSecond(weightedSum(SR_RECIPES.critical, bareSeconds(unit)), 2);
    const strict = limitPerSecond(secondsPerSr('critical', unit, undefined), 1);
    expect(limit).toBeGreaterThan(strict); // the honest limit is the harder one to reach
    expect(limit / 2 / limit).toBe(0.5);
  });

  it('a measured message pattern replaces the stream as the broker’s share', () => {
    const unit = costs(10, 4);
    const pattern = { wall: 200e-6, cpu: 150e-6 };
    expect(secondsPerSr('read', unit, pattern)).toBeCloseTo((200 + 8 * 10) * 1e-6, 12);
  });
});
