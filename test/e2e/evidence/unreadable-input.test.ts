import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';
import { tempDir, trialsim } from '../../support/cli-in-process.js';

/**
 * An input the run reads mid-way that is there at load time but cannot be read when the step
 * runs (here a folder where a firmware image should be): the step ends in error naming the
 * file and the cause, the run exits 3, and the trace, not only the step's result, says so.
 */
let work: { path: string; remove: () => Promise<void> } | undefined;
afterAll(async () => work?.remove());

describe('an input that cannot be read mid-run', () => {
  it('FIXTURE_UNREADABLE - the step errs with the path and cause, in results.json and in the trace', {
    timeout: 120_000,
  }, async () => {
    work = await tempDir('trialsim-unreadable-');
    const original = await readFile(join(PACKAGE_ROOT, 'scenarios', 'ota-upgrade.yaml'), 'utf8');
    // The user's own image, relative to the scenario file: it exists (a folder), so load passes.
    await mkdir(join(work.path, 'my-image.bin'));
    const scenario = original
      .replace(/^# yaml-language-server.*\n/, '')
      .replace('scenario: ota-upgrade', 'scenario: ota-unreadable')
      .replaceAll('firmwareImage: acme-e-trial-1.0.0', 'firmwareImage: ./my-image.bin');
    expect(scenario).toContain('./my-image.bin');
    const file = join(work.path, 'ota-unreadable.yaml');
    await writeFile(file, scenario);
    const out = join(work.path, 'evidence');
    const run = await trialsim('run', file, '--out', out);

    expect(run.code).toBe(3);
    // The step errs naming the file and the cause; the trace has the harness's notice too.
    expect(run.stdout).toMatch(/ERROR ota-unreadable/);
    expect(run.stdout).toMatch(
      /step 7 \(11\.1[^\n]*: firmware fixture "[^"]*my-image\.bin": cannot read \S*my-image\.bin \(EISDIR\)/,
    );
    expect(run.stdout).toMatch(
      /harness → harness {2}step 7 \(11\.1[^\n]*could not be carried out: [^\n]*\(EISDIR\)/,
    );
    expect(run.stdout).toContain('0 passed, 0 failed, 1 errors, 0 skipped');
    // The bundle hashes every input, so the run cannot sign one: it says so in one line naming
    // the folder, and leaves no bundle that could pass for this run's.
    expect(run.stderr).toMatch(/the evidence of this run could not be written to \S*evidence \(EISDIR/);
    await expect(readFile(join(out, 'manifest.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
