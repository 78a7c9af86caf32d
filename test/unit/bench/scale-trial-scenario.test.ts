import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scaledCounts, scaleTrialScenario } from '../../../bench/scale-trial-scenario.js';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';

const source = readFileSync(join(PACKAGE_ROOT, 'scenarios', 'full-trial-100.yaml'), 'utf8');

describe('bench scale trial: full-trial-100 in proportion', () => {
  it('counts and positions keep their share: 100 → N, 40 → 0.4 N, 41 → 0.4 N + 1', () => {
    const at = scaledCounts(10_000);
    expect([100, 40, 41, 50, 51, 60, 1].map(at)).toEqual([10_000, 4_000, 4_001, 5_000, 5_001, 6_000, 1]);
    expect(() => at(37)).toThrow(RangeError);
    expect(() => scaleTrialScenario(source, 1_005)).toThrow(RangeError);
  });

  it('10,000 devices: fleet, cap, expectations and named device scale; the rest is untouched', () => {
    const scaled = parse(scaleTrialScenario(source, 10_000));
    const original = parse(source);
    expect(scaled.scenario).toBe('full-trial-10000');
    expect(scaled.fleets[0].count).toBe(10_000);
    expect(scaled.trials[0].policy).toEqual({ maxDevices: 10_000, durationMonths: 18 });
    expect(scaled.steps).toHaveLength(original.steps.length);
    const text = JSON.stringify(scaled.steps);
    expect(text).toContain('"commissioned":10000,"upgraded":4000,"removed":6000');
    expect(text).toContain('"device":"home-10000"');
    expect(text).not.toContain('home-100"');
    expect(scaled.devices).toEqual(original.devices);
  });
});
