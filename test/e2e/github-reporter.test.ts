import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, trialsim } from '../support/cli-in-process.js';

/** `run --reporter github`: GitHub Actions annotations on the line of the step that failed. */
let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('github');
});
afterAll(() => dir.remove());

describe('--reporter github', { timeout: 120_000 }, () => {
  it('a failed scenario is an ::error on its failing step’s file and line; a pass is none; a notice sums up', async () => {
    const run = await trialsim(
      'run',
      'test/e2e/fixtures/passing-after.yaml',
      'test/e2e/fixtures/misbehaving-device.yaml',
      '--reporter',
      'github',
      '--out',
      join(dir.path, 'evidence'),
    );
    expect(run.code).toBe(1);
    const commands = run.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(commands).toHaveLength(2);
    const [error, notice] = commands as [string, string];
    expect(error).toMatch(
      /^::error file=test\/e2e\/fixtures\/misbehaving-device\.yaml,line=28,title=misbehaving-device failed%3A step 3 \(read the firmware version\)::/,
    );
    // The message is the console's failure description, its lines escaped for the runner.
    expect(error).toContain('expected I0, got E21');
    expect(error).toContain('%0Aexpected: ');
    expect(error).not.toContain('\n');
    expect(notice).toBe('::notice title=trialsim::1 passed, 1 failed, 0 errors, 0 skipped (seed trialsim)');
    // The console lines are still there.
    expect(run.stdout).toContain('PASS  passing-after');
  });

  it('--bail: the scenarios left unrun are warnings; the default reporter prints no workflow commands', async () => {
    const bailed = await trialsim(
      'run',
      'test/e2e/fixtures/misbehaving-device.yaml',
      'test/e2e/fixtures/passing-after.yaml',
      '--bail',
      '--reporter',
      'github',
      '--out',
      join(dir.path, 'bail'),
    );
    expect(bailed.stdout).toMatch(
      /^::warning file=test\/e2e\/fixtures\/passing-after\.yaml,title=passing-after not run::not run: --bail/m,
    );
    const plain = await trialsim(
      'run',
      'test/e2e/fixtures/passing-after.yaml',
      '--out',
      join(dir.path, 'plain'),
    );
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toMatch(/^::/m);
  });

  it('is refused with --json (stdout is the results alone) and an unknown reporter is a usage error', async () => {
    const json = await trialsim(
      'run',
      'test/e2e/fixtures/passing-after.yaml',
      '--reporter',
      'github',
      '--json',
    );
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('--reporter github prints workflow commands on stdout');
    const unknown = await trialsim('run', '--reporter', 'gitlab');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Allowed choices are console, github/);
  });
});
