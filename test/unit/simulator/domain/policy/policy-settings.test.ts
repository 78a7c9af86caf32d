import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../../../harness/package-root.js';
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

  /** The first column of the table under a heading of a domain note (docs/domain/). */
  function openPoints(file: string, heading: string): string[] {
    const text = readFileSync(join(PACKAGE_ROOT, 'docs', 'domain', file), 'utf8');
    const section = text.slice(text.indexOf(heading));
    const rows = section.split('\n').slice(1);
    const table = rows.slice(
      0,
      rows.findIndex((l, i) => i > 0 && !l.startsWith('|')),
    );
    return table
      .slice(2)
      .map((row) => row.split('|')[1]?.trim() ?? '')
      .filter((point) => point.length > 0);
  }

  it.each([
    ['DUIS.md', '## 12. UNCONFIRMED points to treat as policy settings'],
    ['GBCS.md', '## 11. UNCONFIRMED points that trialsim must treat as policy settings'],
  ])('POLICY-UNCONFIRMED - every open point in %s’s table is a setting in the registry', (file, heading) => {
    const points = openPoints(file, heading);
    expect(points.length).toBeGreaterThan(5);
    const named = new Set(POLICY_SETTINGS.map((s) => s.point));
    expect(points.filter((p) => !named.has(p))).toEqual([]);
  });

  it('POLICY-UNCONFIRMED - the UNCONFIRMED points of DCC.md and TRIALS.md’s open limits are settings too', () => {
    for (const id of [
      'duis.otherResponseCodes',
      'duis.alertNCodes',
      'smi.transitionOrder',
      'cpl.nonActiveEntryEffect',
      'trial.maxDevices',
      'trial.durationMonths',
      'trial.eligibility',
      'cos.futureDated',
    ]) {
      expect(
        POLICY_SETTINGS.some((s) => s.id === id),
        id,
      ).toBe(true);
    }
  });
});
