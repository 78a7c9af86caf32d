import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../harness/package-root.js';

/**
 * .ci/run with the system's commands replaced by stubs that log their arguments: it must use
 * apt-get directly as root and through sudo otherwise, then run npm ci and npm test.
 */
let bin: string;
const log = () => join(bin, 'calls.log');

async function stub(name: string, body: string): Promise<void> {
  const path = join(bin, name);
  await writeFile(path, `#!/bin/sh\necho "${name} $*" >> "${log()}"\n${body}\n`);
  await chmod(path, 0o755);
}

function runCi(): { status: number | null; stderr: string } {
  const run = spawnSync('bash', [join(PACKAGE_ROOT, '.ci', 'run')], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: bin },
  });
  return { status: run.status, stderr: run.stderr };
}

beforeEach(async () => {
  bin = await mkdtemp(join(tmpdir(), 'trialsim-ci-run-'));
  await stub('apt-get', 'exit 0');
  await stub('npm', 'exit 0');
  await stub('sudo', 'shift; exec "$@"');
});
afterEach(async () => {
  await rm(bin, { recursive: true, force: true });
});

describe('.ci/run works as root or through sudo', () => {
  it('as root: apt-get directly, then npm ci and npm test', async () => {
    await stub('id', 'echo 0');
    expect(runCi().status).toBe(0);
    const calls = (await readFile(log(), 'utf8')).trim().split('\n');
    expect(calls.filter((c) => c.startsWith('sudo'))).toEqual([]);
    expect(calls).toContain('apt-get update -qq');
    expect(calls.slice(-2)).toEqual(['npm ci --no-audit --no-fund', 'npm test']);
  });

  it('as a user with sudo: apt-get through sudo --non-interactive', async () => {
    await stub('id', 'echo 1000');
    expect(runCi().status).toBe(0);
    const calls = (await readFile(log(), 'utf8')).trim().split('\n');
    expect(calls.filter((c) => c.startsWith('sudo'))).toHaveLength(2);
    expect(calls.find((c) => c.startsWith('sudo'))).toMatch(
      /^sudo --non-interactive env DEBIAN_FRONTEND=noninteractive apt-get update/,
    );
    expect(calls.slice(-2)).toEqual(['npm ci --no-audit --no-fund', 'npm test']);
  });

  it('as a user whose sudo refuses: says so and still runs the tests', async () => {
    await stub('id', 'echo 1000');
    await stub('sudo', 'exit 1');
    const run = runCi();
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('could not apt-get install the system tools');
    const calls = (await readFile(log(), 'utf8')).trim().split('\n');
    expect(calls.slice(-2)).toEqual(['npm ci --no-audit --no-fund', 'npm test']);
  });
});
