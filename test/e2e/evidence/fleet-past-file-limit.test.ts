import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';
import { CLI_ARGS } from '../../support/run-cli.js';

// full-trial-100 starts 202 devices: a client each needs about 2 × 210 + 64 descriptors on the
// embedded broker, more than an open-file limit of 256 allows. The run must not fail to start
// (FD_LIMIT, exit 3): its devices share one connection, and the evidence says so.
const LIMIT = 256;
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** `trialsim run full-trial-100 --out <fresh folder>`, under `ulimit -n limit` when one is given. */
async function runFullTrial(limit: number | undefined) {
  const out = await mkdtemp(join(tmpdir(), 'trialsim-fdlimit-'));
  dirs.push(out);
  const argv = [...CLI_ARGS, 'run', join('scenarios', 'full-trial-100.yaml'), '--out', out, '--json'];
  const quoted = [process.execPath, ...argv].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const run = spawnSync(
    'bash',
    ['-c', `${limit === undefined ? '' : `ulimit -n ${limit} && `}exec ${quoted}`],
    {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
      timeout: 110_000,
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  return { out, run };
}

describe('a fleet past the open-file limit', () => {
  it(`ulimit -n ${LIMIT}: full-trial-100 passes on one shared device connection, recorded in results.json, with the trace of own clients byte for byte`, {
    timeout: 240_000,
  }, async () => {
    const { out, run } = await runFullTrial(LIMIT);
    expect(run.stderr).not.toMatch(/FD_LIMIT|open-file limit/);
    expect(run.status).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as {
      scenarios: { id: string; verdict: string; environment?: { deviceConnection?: string } }[];
    };
    expect(results.scenarios[0]).toMatchObject({
      id: 'full-trial-100',
      verdict: 'passed',
      environment: { deviceConnection: 'shared' },
    });
    // Sharing a connection changes nothing a scenario can observe: the same seed gives the same
    // trace.jsonl as each device on its own client (what a run picks when the clients fit).
    const own = await runFullTrial(undefined);
    expect(own.run.status).toBe(0);
    const ownResults = JSON.parse(await readFile(join(own.out, 'results.json'), 'utf8')) as {
      scenarios: { environment?: { deviceConnection?: string } }[];
    };
    expect(ownResults.scenarios[0]?.environment?.deviceConnection).toBeUndefined();
    const [shared, owned] = await Promise.all([
      readFile(join(out, 'trace.jsonl')),
      readFile(join(own.out, 'trace.jsonl')),
    ]);
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.equals(owned)).toBe(true);
  });
});
