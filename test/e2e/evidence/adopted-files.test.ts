import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceBundleReporter } from '../../../harness/evidence/bundle-setup.js';
import { verifyBundle } from '../../../harness/evidence/verify-bundle.js';
import type { Reporter } from '../../../harness/reporters/reporter.js';
import { runSuite } from '../../../harness/suite/run-suite.js';
import { tempDir } from '../../support/cli-in-process.js';

/**
 * EVIDENCE.md: files another reporter writes into the evidence folder during the run (e.g. the
 * device-under-test conformance.json) are carried into the bundle and signed with it.
 */
let work: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir('adopt');
});
afterAll(() => work.remove());

describe('files written into the evidence folder by other reporters', () => {
  it('a conformance.json written during the run is in the signed bundle and verifies', async () => {
    const out = join(work.path, 'evidence');
    const conformance: Reporter = {
      async onRunEnd() {
        await mkdir(out, { recursive: true });
        await writeFile(join(out, 'conformance.json'), '{"conformant": true}\n');
      },
    };
    const bundle = await evidenceBundleReporter({ out, seed: 'adopt', bail: false });
    const results = await runSuite({
      files: ['scenarios/bad-signature.yaml'],
      seed: 'adopt',
      reporters: [conformance, bundle],
    });
    expect(results.verdict).toBe('passed');
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toContain('conformance.json');
    expect(await readFile(join(out, 'conformance.json'), 'utf8')).toBe('{"conformant": true}\n');
    expect((await verifyBundle(out)).integrity.ok).toBe(true);
  }, 60_000);
});
