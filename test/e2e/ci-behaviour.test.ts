import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../harness/package-root.js';
import { CLI_ARGS, trialsim } from '../support/run-cli.js';

/** CI behaviour as people expect it from vitest and Playwright. */
let dir: string;
const FIXTURE = join(PACKAGE_ROOT, 'test', 'e2e', 'fixtures', 'passing-after.yaml');
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-ci-'));
  await mkdir(join(dir, 'suite', 'a'), { recursive: true });
  await mkdir(join(dir, 'suite', 'b'), { recursive: true });
  await copyFile(FIXTURE, join(dir, 'suite', 'a', 'one.yaml'));
  await copyFile(FIXTURE, join(dir, 'suite', 'b', 'two.yaml'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a selection of zero scenarios', { timeout: 120_000 }, () => {
  it('fails with exit 2 and writes no evidence', async () => {
    const out = join(dir, 'none');
    const run = trialsim(['run', FIXTURE, '--filter', 'matches-nothing', '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      'no scenarios selected (1 scenario file found, 0 match --filter "matches-nothing")',
    );
    await expect(readFile(join(out, 'results.json'))).rejects.toThrow(/ENOENT/);
  });

  it('passes with --pass-with-no-scenarios', () => {
    const run = trialsim([
      'run',
      FIXTURE,
      '--filter',
      'matches-nothing',
      '--pass-with-no-scenarios',
      '--out',
      join(dir, 'none-ok'),
    ]);
    expect(run.status).toBe(0);
  });
});

describe('globs are the usual ones (tinyglobby: braces, classes)', { timeout: 120_000 }, () => {
  it('a brace glob and a class glob select files; list shows them', () => {
    const braces = trialsim(['list', '--json', `${dir}/suite/{a,b}/*.yaml`]);
    expect(braces.status).toBe(0);
    expect(braces.stdout).toContain('one.yaml');
    expect(braces.stdout).toContain('two.yaml');
    const klass = trialsim(['list', '--json', `${dir}/suite/[a]/*.yaml`]);
    expect(klass.status).toBe(0);
    expect(klass.stdout).toContain('one.yaml');
    expect(klass.stdout).not.toContain('two.yaml');
  });
});

describe('colour', { timeout: 120_000 }, () => {
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [...CLI_ARGS, 'run', FIXTURE, '--out', join(dir, 'colour')], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
    });

  it('FORCE_COLOR=1 colours the verdicts even on a pipe; a pipe alone gets none', () => {
    expect(run({ FORCE_COLOR: '1' }).stdout).toContain('\u001b[32mPASS');
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    delete env.NO_COLOR;
    const piped = spawnSync(process.execPath, [...CLI_ARGS, 'run', FIXTURE, '--out', join(dir, 'colour')], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
      env,
    });
    expect(piped.status).toBe(0);
    expect(piped.stdout).not.toContain('\u001b[');
  });
});
