import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY_VALUES,
  overridePolicy,
  POLICY_SETTINGS,
  policyDifferences,
} from '../../../../../simulator/domain/policy/policy-settings.js';
import { DEFAULT_TRIAL_POLICY } from '../../../../../simulator/domain/trial/trial.js';

describe('policy settings: every open modelling decision is one named setting with its default', () => {
  it('POLICY-REGISTRY - ids are unique, every setting says what it decides and where, and is frozen', () => {
    const ids = POLICY_SETTINGS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of POLICY_SETTINGS) {
      expect(s.title.length, s.id).toBeGreaterThan(0);
      expect(s.description.length, s.id).toBeGreaterThan(20);
      expect(s.whereItApplies.length, s.id).toBeGreaterThan(0);
      expect(s.source.length, s.id).toBeGreaterThan(0);
      if (s.choices !== undefined) expect(s.choices, s.id).toContain(s.value);
      expect(Object.isFrozen(s), s.id).toBe(true);
    }
    expect(Object.isFrozen(POLICY_SETTINGS)).toBe(true);
  });

  it('POLICY-TRIAL-DEFAULTS - the trial defaults are the TRIALS.md limits, read from the registry', () => {
    expect(DEFAULT_TRIAL_POLICY).toEqual({
      maxDevices: 100,
      durationMonths: 18,
      eligibility: 'anyCertifiedProduct',
      endOfTrialAction: 'upgradeOrRemove',
      excludeFromOpr: true,
    });
  });

  it('POLICY-OVERRIDE - a run overrides a setting; the difference is listed for the evidence', () => {
    const values = overridePolicy({ 'firmware.screening.11.1': 'warn', 'trial.maxDevices': 5 });
    expect(values['firmware.screening.11.1']).toBe('warn');
    expect(values['trial.maxDevices']).toBe(5);
    expect(values['trial.durationMonths']).toBe(DEFAULT_POLICY_VALUES['trial.durationMonths']);
    expect(policyDifferences(values).map((d) => d.id)).toEqual([
      'trial.maxDevices',
      'firmware.screening.11.1',
    ]);
  });

  it('POLICY-OVERRIDE-INVALID - an unknown id, a fixed setting or a wrong value is refused by name', () => {
    expect(() => overridePolicy({ 'trial.maxDevice': 5 })).toThrow(
      /unknown policy setting "trial.maxDevice"/,
    );
    expect(() => overridePolicy({ 'trial.membership': 'x' })).toThrow(/fixed/);
    expect(() => overridePolicy({ 'firmware.screening.11.1': 'ignore' })).toThrow(/one of refuse, warn/);
    expect(() => overridePolicy({ 'trial.maxDevices': 0 })).toThrow(/whole number/);
  });
});
