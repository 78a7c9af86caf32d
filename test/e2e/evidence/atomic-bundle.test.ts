import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFolderAtomically } from '../../../harness/evidence/atomic-folder.js';
import { verifyBundle } from '../../../harness/evidence/verify-bundle.js';
import { tempDir, trialsim } from '../../support/cli-in-process.js';

/** EVIDENCE.md "Atomic writing": an interrupted write never leaves a bundle that verifies. */
let work: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir('atomic');
});
afterAll(() => work.remove());

describe('atomic bundle writing', () => {
  it('a write that fails half-way leaves the earlier bundle whole and verifying, and no partial folder', async () => {
    const target = join(work.path, 'evidence');
    const run = await trialsim('run', 'scenarios/bad-signature.yaml', '--out', target);
    expect(run.code, run.stderr).toBe(0);
    const before = await readFile(join(target, 'results.json'), 'utf8');
    await expect(
      writeFolderAtomically(target, async (dir) => {
        await writeFile(join(dir, 'results.json'), '{"half": true}\n');
        throw new Error('power cut');
      }),
    ).rejects.toThrow('power cut');
    expect(await readFile(join(target, 'results.json'), 'utf8')).toBe(before);
    expect((await verifyBundle(target)).integrity.ok).toBe(true);
    expect((await readdir(work.path)).filter((n) => n.startsWith('.'))).toEqual([]);
  }, 60_000);

  it('a completed write replaces the earlier bundle entirely (nothing of the old one remains)', async () => {
    const target = join(work.path, 'replace');
    expect((await trialsim('run', 'scenarios/bad-signature.yaml', '--out', target)).code).toBe(0);
    expect((await trialsim('run', 'scenarios/commissioning.yaml', '--out', target)).code).toBe(0);
    const results = JSON.parse(await readFile(join(target, 'results.json'), 'utf8'));
    expect(results.scenarios.map((s: { id: string }) => s.id)).toEqual(['commissioning']);
    expect((await verifyBundle(target)).integrity.ok).toBe(true);
  }, 60_000);

  it('a folder written up to but not including the envelope (a kill before the rename) does not verify', async () => {
    const target = join(work.path, 'cut');
    expect((await trialsim('run', 'scenarios/bad-signature.yaml', '--out', target)).code).toBe(0);
    const { unlink } = await import('node:fs/promises');
    await unlink(join(target, 'manifest.dsse.json'));
    const outcome = await verifyBundle(target);
    expect(outcome.integrity.ok).toBe(false);
    expect(outcome.integrity.problems[0]).toMatch(
      /manifest\.dsse\.json: missing — the bundle is unsigned, or writing it was interrupted/,
    );
  }, 60_000);

  it('a partial folder left by a killed run (its process gone) is cleared by the next run', async () => {
    const target = join(work.path, 'leftover');
    const abandoned = join(work.path, '.leftover.partial-999999-zz');
    await mkdir(abandoned);
    await writeFile(join(abandoned, 'results.json'), '{}\n');
    expect((await verifyBundle(abandoned)).integrity.ok).toBe(false);
    expect((await trialsim('run', 'scenarios/bad-signature.yaml', '--out', target)).code).toBe(0);
    expect((await readdir(work.path)).filter((n) => n.startsWith('.leftover'))).toEqual([]);
  }, 60_000);

  it('refuses to replace a folder that is not an evidence bundle, before running anything (exit 2)', async () => {
    const target = join(work.path, 'my-documents');
    await mkdir(target);
    await writeFile(join(target, 'thesis.txt'), 'precious\n');
    const run = await trialsim('run', 'scenarios/commissioning.yaml', '--out', target);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is a folder that is not an earlier trialsim evidence bundle/);
    expect(await readdir(target)).toEqual(['thesis.txt']);
  });
});
