import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../harness/evidence/verify-bundle.js';
import type { RunResults } from '../../harness/results/result-types.js';
import { tempDir, trialsim } from '../support/cli-in-process.js';

/**
 * `run --shard i/n` on n CI runners, then `trialsim merge`: the merged bundle tells what one
 * unsharded run tells (same scenarios, verdicts and steps in suite order, the same hash-chained
 * trace byte for byte), verifies, and names the shards it came from.
 */
const SUITE = [
  'scenarios/commissioning.yaml',
  'test/e2e/fixtures/passing-after.yaml',
  'test/e2e/fixtures/misbehaving-device.yaml',
  'scenarios/replay.yaml',
];
let dir: { path: string; remove: () => Promise<void> };
const at = (name: string) => join(dir.path, name);
const results = async (name: string) =>
  JSON.parse(await readFile(join(at(name), 'results.json'), 'utf8')) as RunResults;
/** What a run says, without the real clock and the run's own bookkeeping. */
const outcome = (r: RunResults) => ({
  verdict: r.verdict,
  summary: r.summary,
  scenarios: r.scenarios.map(({ timing: _t, steps, ...s }) => ({
    ...s,
    steps: steps.map(({ timing: _st, ...step }) => step),
  })),
});

beforeAll(async () => {
  dir = await tempDir('merge');
  expect((await trialsim('run', ...SUITE, '--out', at('whole'))).code).toBe(1);
  for (const k of [1, 2, 3]) {
    const run = await trialsim('run', ...SUITE, '--shard', `${k}/3`, '--out', at(`shard-${k}`));
    expect([0, 1]).toContain(run.code);
  }
}, 300_000);
afterAll(() => dir.remove());

describe('trialsim merge', { timeout: 300_000 }, () => {
  it('each shard bundle records its shard', async () => {
    for (const k of [1, 2, 3]) expect((await results(`shard-${k}`)).shard).toEqual({ index: k, count: 3 });
    expect((await results('whole')).shard).toBeUndefined();
  });

  it('merging the shards (in any order) gives the unsharded run’s outcomes, trace and run id; it verifies', async () => {
    const merge = await trialsim('merge', at('shard-3'), at('shard-1'), at('shard-2'), '--out', at('merged'));
    expect(merge.stderr).toBe('');
    expect(merge.code).toBe(1); // a scenario failed, as in the unsharded run
    expect(merge.stdout).toContain('merged 3 shards: 3 passed, 1 failed, 0 errors, 0 skipped');
    const whole = await results('whole');
    const merged = await results('merged');
    expect(outcome(merged)).toEqual(outcome(whole));
    expect(merged.scenarios.map((s) => s.id)).toEqual([
      'commissioning',
      'passing-after',
      'misbehaving-device',
      'replay',
    ]);
    expect(merged.runId).toBe(whole.runId);
    expect(merged.mergedFrom?.map((m) => m.shard.index)).toEqual([1, 2, 3]);
    expect(await readFile(join(at('merged'), 'trace.jsonl'), 'utf8')).toBe(
      await readFile(join(at('whole'), 'trace.jsonl'), 'utf8'),
    );
    const verified = await verifyBundle(at('merged'));
    expect(verified.integrity).toEqual({ ok: true, problems: [] });
    expect(await readFile(join(at('merged'), 'report.html'), 'utf8')).toContain('misbehaving-device');
  });

  it('refuses a missing shard, a shard given twice, and a bundle that is no shard', async () => {
    const missing = await trialsim('merge', at('shard-1'), at('shard-3'), '--out', at('m1'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('shard 2/3 missing (given: 1/3, 3/3)');
    const twice = await trialsim(
      'merge',
      at('shard-1'),
      at('shard-1'),
      at('shard-2'),
      at('shard-3'),
      '--out',
      at('m2'),
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('are both shard 1/3');
    const whole = await trialsim('merge', at('whole'), '--out', at('m3'));
    expect(whole.code).toBe(2);
    expect(whole.stderr).toContain("is not a shard's bundle (it was not run with --shard i/n)");
  });

  it('refuses a shard whose evidence was altered', async () => {
    const { writeFile, cp } = await import('node:fs/promises');
    await cp(at('shard-2'), at('tampered'), { recursive: true });
    const file = join(at('tampered'), 'results.json');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"failed"', '"passed"'));
    const merge = await trialsim('merge', at('shard-1'), at('tampered'), at('shard-3'), '--out', at('m4'));
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain('does not verify');
  });
});
