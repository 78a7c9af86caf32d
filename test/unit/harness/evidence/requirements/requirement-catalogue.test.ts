import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUIREMENT_CATALOGUE } from '../../../../../harness/evidence/requirements/requirement-catalogue.js';
import { loadScenario } from '../../../../../harness/scenario/scenario-loader.js';

/** Every requirement id a built-in scenario cites, with where it is cited. */
async function citedIds(): Promise<Map<string, string[]>> {
  const cited = new Map<string, string[]>();
  const files = (await readdir('scenarios')).filter((f) => f.endsWith('.yaml')).sort();
  for (const file of files) {
    const { definition } = await loadScenario(join('scenarios', file));
    for (const step of definition.steps) {
      const ids = step.requirement === undefined ? [] : [step.requirement].flat();
      for (const id of ids) cited.set(id, [...(cited.get(id) ?? []), file]);
    }
  }
  return cited;
}

describe('requirement catalogue', () => {
  it('holds each id once, with text and at least one SEC, DUIS, GBCS or SSC item it evidences', () => {
    const ids = REQUIREMENT_CATALOGUE.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of REQUIREMENT_CATALOGUE) {
      expect(r.id).toMatch(/^(EV|DEV)-[A-Z0-9-]+$/);
      expect(r.text.length, r.id).toBeGreaterThan(20);
      expect(r.evidences.length, r.id).toBeGreaterThan(0);
      for (const e of r.evidences) expect(e.item.trim(), r.id).not.toBe('');
    }
  });

  it('names only documents a reviewer has: no project file, no source path, no issue number', () => {
    const text = JSON.stringify(REQUIREMENT_CATALOGUE);
    expect(text).not.toMatch(/\.(md|ts|ya?ml)\b/);
    expect(text).not.toMatch(/\bissue\s*#?\d+/i);
    expect(text).not.toMatch(/TRIALS|trialsim/);
  });

  it('every requirement id a built-in scenario cites is in the catalogue', async () => {
    const cited = await citedIds();
    expect(cited.size).toBeGreaterThan(20);
    const known = new Set(REQUIREMENT_CATALOGUE.map((r) => r.id));
    const missing = [...cited.entries()].filter(([id]) => !known.has(id)).map(([id, f]) => `${id} (${f[0]})`);
    expect(missing).toEqual([]);
  });
});
