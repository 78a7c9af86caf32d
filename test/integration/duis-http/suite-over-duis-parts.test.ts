import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CANNOT_RUN_OVER_DUIS, OWN_FILE_SCENARIOS, partsOfTheSuite } from '../../support/suite-over-duis.js';
import { SUITE_OVER_DUIS_PARTS } from './suite-over-duis-parts.js';

describe('the suite-over-DUIS parts', () => {
  it('one test file per part', async () => {
    const partFiles = (await readdir(import.meta.dirname))
      .filter((f) => /^suite-over-duis-.+\.test\.ts$/.test(f) && f !== 'suite-over-duis-parts.test.ts')
      .sort();
    expect(partFiles).toEqual(
      Object.keys(SUITE_OVER_DUIS_PARTS)
        .map((name) => `suite-over-duis-${name}.test.ts`)
        .sort(),
    );
  });

  it('together the parts hold every built-in scenario exactly once', async () => {
    const { all, files } = await partsOfTheSuite(Object.values(SUITE_OVER_DUIS_PARTS));
    expect(all.length).toBeGreaterThanOrEqual(30);
    expect(files.flat().sort()).toEqual([...all].sort());
    for (const part of files) expect(part.length).toBeGreaterThan(0);
    for (const id of OWN_FILE_SCENARIOS)
      expect(
        all.some((f) => f.endsWith(`/${id}.yaml`)),
        id,
      ).toBe(true);
  });

  it('every documented exception is a built-in scenario', async () => {
    const { all } = await partsOfTheSuite([]);
    for (const id of Object.keys(CANNOT_RUN_OVER_DUIS))
      expect(
        all.some((f) => f.endsWith(`/${id}.yaml`)),
        id,
      ).toBe(true);
  });
});
