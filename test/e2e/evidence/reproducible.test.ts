import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION, tempDir, trialsim } from '../../support/cli-in-process.js';

/**
 * EVIDENCE.md "Reproducible": the same seed and inputs give byte-identical results.json (once
 * the real-clock `timing` objects are set aside) and trace.jsonl, the same run id, and a manifest
 * that differs only in `nonReproducible`.
 */
let work: { path: string; remove: () => Promise<void> };
const SCENARIOS = ['scenarios/commissioning.yaml', 'scenarios/trial-expiry-and-removal.yaml'];

beforeAll(async () => {
  work = await tempDir('repro');
  for (const name of ['a', 'b']) {
    const run = await trialsim(
      'run',
      ...SCENARIOS,
      '--out',
      join(work.path, name),
      '--seed',
      'repro-1',
      '--application',
      APPLICATION,
    );
    expect(run.code, run.stderr).toBe(0);
  }
  const parallel = await trialsim(
    'run',
    ...SCENARIOS,
    '--out',
    join(work.path, 'parallel'),
    '--seed',
    'repro-1',
    '--application',
    APPLICATION,
    '--parallel',
    '2',
  );
  expect(parallel.code, parallel.stderr).toBe(0);
  const other = await trialsim(
    'run',
    ...SCENARIOS,
    '--out',
    join(work.path, 'other-seed'),
    '--seed',
    'repro-2',
    '--application',
    APPLICATION,
  );
  expect(other.code, other.stderr).toBe(0);
  // Every DCC User over DUIS: signed XML over HTTP, callbacks to receivers on ports the OS picks.
  for (const name of ['duis-a', 'duis-b']) {
    const run = await trialsim(
      'run',
      ...SCENARIOS,
      '--users-over',
      'duis',
      '--out',
      join(work.path, name),
      '--seed',
      'repro-1',
      '--application',
      APPLICATION,
    );
    expect(run.code, run.stderr).toBe(0);
  }
}, 240_000);
afterAll(() => work.remove());

const read = (run: string, file: string) => readFile(join(work.path, run, file), 'utf8');

/** The text with every `"timing": {…}` object (real clock, RESULTS-SCHEMA.md) cut out. */
function withoutTiming(text: string): string {
  return text.replace(/,?\n\s*"timing": \{[^{}]*\}/g, '');
}

describe('reproducible evidence', () => {
  it('same seed → trace.jsonl byte for byte identical', async () => {
    const a = await read('a', 'trace.jsonl');
    expect(a.length).toBeGreaterThan(1000);
    expect(await read('b', 'trace.jsonl')).toBe(a);
  });

  it('--parallel 2 gives the same trace and results as a sequential run', async () => {
    expect(await read('parallel', 'trace.jsonl')).toBe(await read('a', 'trace.jsonl'));
    expect(withoutTiming(await read('parallel', 'results.json'))).toBe(
      withoutTiming(await read('a', 'results.json')),
    );
  });

  it('same seed → results.json byte for byte identical apart from the timing objects', async () => {
    const a = await read('a', 'results.json');
    const b = await read('b', 'results.json');
    expect(withoutTiming(a)).toBe(withoutTiming(b));
    // The cut removed only timing: the rest is all there.
    expect(withoutTiming(a)).not.toMatch(/realMs|startedAt/);
    expect(JSON.parse(a).scenarios).toHaveLength(2);
  });

  it('real-clock values appear only under timing (nothing else carries the run time or the process)', async () => {
    const full = await read('a', 'results.json');
    const a = withoutTiming(full) + (await read('a', 'trace.jsonl'));
    // The run's real start, to the minute, appears nowhere but in timing.
    const startedMinute = (JSON.parse(full).timing.startedAt as string).slice(0, 16);
    expect(full).toContain(startedMinute);
    expect(a).not.toContain(startedMinute);
    // The topic namespace is `<scenario>-<pid>-<real ms>`: it must stay on the bus.
    expect(a).not.toContain(`-${process.pid}-`);
  });

  it('same seed → same run id and the same manifest outside nonReproducible; another seed → another id', async () => {
    const a = JSON.parse(await read('a', 'manifest.json'));
    const b = JSON.parse(await read('b', 'manifest.json'));
    expect(a.runId).toMatch(/^run-[0-9a-f]{20}$/);
    const strip = (m: Record<string, unknown>) => {
      const {
        nonReproducible: _n,
        files,
        ...rest
      } = m as { nonReproducible: unknown; files: { path: string }[] };
      // Files whose bytes carry the real clock by design (EVIDENCE.md) are compared by name only.
      const varying = new Set(['report.html', 'summary.md', 'junit.xml', 'ctrf.json', 'results.json']);
      return { ...rest, files: files.map((f) => (varying.has(f.path) ? f.path : f)) };
    };
    expect(strip(b)).toEqual(strip(a));
    const other = JSON.parse(await read('other-seed', 'manifest.json'));
    expect(other.runId).not.toBe(a.runId);
    expect(JSON.parse(await read('other-seed', 'results.json')).seed).toBe('repro-2');
  });

  it('over DUIS too: same seed → the same trace, results and DUIS XML files, byte for byte', async () => {
    const trace = await read('duis-a', 'trace.jsonl');
    // The run did go over DUIS, callbacks and all, so the comparison is not of an MQTT run.
    expect(trace).toContain('"kind":"duisRequest"');
    expect(trace).toContain('"kind":"duisCallback"');
    expect(await read('duis-b', 'trace.jsonl')).toBe(trace);
    expect(withoutTiming(await read('duis-b', 'results.json'))).toBe(
      withoutTiming(await read('duis-a', 'results.json')),
    );
    const duisFiles = async (run: string) =>
      (await readdir(join(work.path, run))).filter((f) => f.startsWith('duis.')).sort();
    const files = await duisFiles('duis-a');
    expect(files.length).toBeGreaterThan(10);
    expect(await duisFiles('duis-b')).toEqual(files);
    for (const f of files) expect(await read('duis-b', f), f).toBe(await read('duis-a', f));
  });
});
