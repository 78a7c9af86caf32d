import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, exitCodeForError } from '../../../harness/cli/exit-codes.js';
import { evidenceBundleReporter } from '../../../harness/evidence/bundle-setup.js';
import { verifyBundle } from '../../../harness/evidence/verify-bundle.js';
import type { Reporter } from '../../../harness/reporters/reporter.js';
import { runSuite } from '../../../harness/suite/run-suite.js';
import { tempDir, trialsim } from '../../support/cli-in-process.js';

/**
 * The bundle holds only what this run wrote, through an explicit hand-over from each
 * reporter (Reporter.onRunEnd's `evidence`), never what lies in the output folder; `--out`
 * replaces only an earlier trialsim bundle; `--out` and `--junit` are checked before the run.
 */
let work: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir('adopt');
});
afterAll(() => work.remove());

const names = async (dir: string) => (await readdir(dir)).sort();

describe('the bundle holds what reporters handed over, and nothing else', () => {
  it('a conformance.json handed over during the run is in the signed bundle and verifies', async () => {
    const out = join(work.path, 'evidence');
    const conformance: Reporter = {
      onRunEnd(_results, evidence) {
        evidence.add('conformance.json', '{"conformant": true}\n', 'test conformance');
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

  it('a hand-over of a name the bundle writes itself is refused, naming the reporter', async () => {
    const out = join(work.path, 'reserved');
    const sneaky: Reporter = {
      onRunEnd(_results, evidence) {
        evidence.add('results.json', '{}', 'sneaky reporter');
      },
    };
    const bundle = await evidenceBundleReporter({ out, seed: 'adopt', bail: false });
    await expect(
      runSuite({ files: ['scenarios/bad-signature.yaml'], seed: 'adopt', reporters: [sneaky, bundle] }),
    ).rejects.toThrow(
      /sneaky reporter handed "results\.json" to the evidence bundle: the bundle writes that file itself/,
    );
  }, 60_000);

  it('a file planted in --out during the run is never signed: the run stops with one line (exit 3) and the earlier bundle stays whole, from its own run', async () => {
    const out = join(work.path, 'planted');
    expect((await trialsim('run', 'scenarios/bad-signature.yaml', '--out', out)).code).toBe(0);
    const before = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    const planter: Reporter = {
      async onScenarioEnd() {
        await writeFile(join(out, 'conformance.json'), '{"verdict":"passed"}\n');
      },
    };
    const bundle = await evidenceBundleReporter({ out, seed: 'other-run', bail: false });
    const failure = await runSuite({
      files: ['scenarios/commissioning.yaml'],
      seed: 'other-run',
      reporters: [planter, bundle],
    }).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /^the evidence of this run could not be written to .*conformance\.json is not part of its signed bundle.*nothing there was replaced or signed for this run$/,
    );
    expect((failure as Error).message).not.toContain('\n');
    expect(exitCodeForError(failure).code).toBe(EXIT.error);
    const after = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(after.runId).toBe(before.runId);
    const outcome = await verifyBundle(out);
    expect(outcome.integrity.problems).toEqual([
      expect.stringMatching(/^conformance\.json: not part of the signed bundle/),
    ]);
  }, 60_000);
});

describe('--out replaces only an earlier trialsim bundle', () => {
  it('a folder of source code that holds a results.json and a manifest.json is refused, untouched (exit 2)', async () => {
    const out = join(work.path, 'project');
    await mkdir(out);
    await writeFile(join(out, 'results.json'), '{}\n');
    await writeFile(join(out, 'manifest.json'), '{}\n');
    await writeFile(join(out, 'main.ts'), 'export const precious = true;\n');
    const run = await trialsim('run', 'scenarios/commissioning.yaml', '--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not an earlier trialsim evidence bundle \(no manifest\.dsse\.json\)/);
    expect(run.stdout).not.toMatch(/running/);
    expect(await names(out)).toEqual(['main.ts', 'manifest.json', 'results.json']);
  });

  it('an earlier bundle with a file added beside it is refused, naming the file (exit 2)', async () => {
    const out = join(work.path, 'grown');
    expect((await trialsim('run', 'scenarios/bad-signature.yaml', '--out', out)).code).toBe(0);
    await writeFile(join(out, 'notes.txt'), 'mine\n');
    const run = await trialsim('run', 'scenarios/bad-signature.yaml', '--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/notes\.txt is not part of its signed bundle/);
    expect(await names(out)).toContain('notes.txt');
  }, 60_000);

  it('a folder whose envelope is not a valid trialsim signature is refused (exit 2)', async () => {
    const out = join(work.path, 'fake');
    await mkdir(out);
    await writeFile(join(out, 'manifest.dsse.json'), '{"payload":"","signatures":[]}\n');
    await writeFile(join(out, 'manifest.json'), '{"seed":"trialsim"}\n');
    const run = await trialsim('run', 'scenarios/commissioning.yaml', '--out', out);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/carries no valid trialsim signature/);
  });
});

describe('--out and --junit are checked writable before the run starts', () => {
  it('--junit under a file is refused before any scenario runs (exit 2, one line)', async () => {
    const file = join(work.path, 'a-file');
    await writeFile(file, 'x');
    const run = await trialsim(
      'run',
      'scenarios/commissioning.yaml',
      '--out',
      join(work.path, 'never'),
      '--junit',
      join(file, 'junit.xml'),
    );
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/--junit .*a-file is a file, not a folder/),
    ]);
    expect(run.stdout).not.toMatch(/running/);
  });

  it('--out under a file is refused before any scenario runs (exit 2)', async () => {
    const file = join(work.path, 'b-file');
    await writeFile(file, 'x');
    const run = await trialsim('run', 'scenarios/commissioning.yaml', '--out', join(file, 'evidence'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--out .*b-file is a file, not a folder/);
  });

  it('--junit naming a folder is refused (exit 2)', async () => {
    const run = await trialsim(
      'run',
      'scenarios/commissioning.yaml',
      '--out',
      join(work.path, 'never2'),
      '--junit',
      work.path,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--junit .* is a folder, not a file/);
  });
});
