import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from '../../harness/package-root.js';
import { trialsim } from '../support/run-cli.js';
import { xmlProblems } from '../support/xml-problems.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-cli-'));
  // Written here, not kept in fixtures/: a file that is not YAML would fail the repo's lint.
  await writeFile(
    join(dir, 'broken-yaml.yaml'),
    [
      'scenario: broken-yaml',
      'title: A YAML syntax error',
      'devices:',
      '  - id: chf1',
      '    model: acme-comms-hub',
      '    eui: 00-12-4B-00-00-00-00-01',
      'steps:',
      '  - send: { as: supplier-a, srv: "8.2", device: chf1',
      '  - advance: 1 day',
      '',
    ].join('\n'),
  );
});

describe('trialsim run on the built-in suite, as a user runs it', { timeout: 120_000 }, () => {
  it('every built-in scenario passes, in 2 worker processes, with JUnit XML of one testcase each (exit 0)', async () => {
    const scenarioFiles = (await readdir(SCENARIOS_DIR)).filter((f) => f.endsWith('.yaml'));
    const junit = join(dir, 'suite-junit.xml');
    const run = trialsim([
      'run',
      'scenarios',
      '--parallel',
      '2',
      '--junit',
      junit,
      '--out',
      join(dir, 'suite'),
    ]);
    expect(run.stderr).not.toMatch(/trialsim: /);
    expect(run.stdout).toMatch(new RegExp(`PASS: ${scenarioFiles.length} passed, 0 failed, 0 errors`));
    expect(run.status).toBe(0);
    const xml = await readFile(junit, 'utf8');
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml.match(/<testcase /g)).toHaveLength(scenarioFiles.length);
    expect(xml).not.toMatch(/<failure|<error/);
    expect(xml).toContain('name="full-trial-100: A full 18-month trial of 100 devices');
  }, 300_000);

  it('parallel workers report in file order: the same lines, results and trace as a sequential run', async () => {
    const lines = (out: string) =>
      out
        .split('\n')
        .filter((l) => /^\[\d+\/\d+\]/.test(l))
        .map((l) => l.replace(/, [\d.]+ s\)$/, ')'));
    const args = [
      'run',
      'scenarios/commissioning.yaml',
      'scenarios/bad-signature.yaml',
      'test/e2e/fixtures/misbehaving-device.yaml',
    ];
    const sequential = trialsim([...args, '--out', join(dir, 'seq')]);
    const parallel = trialsim([...args, '--parallel', '3', '--out', join(dir, 'par')]);
    expect(lines(parallel.stdout)).toEqual(lines(sequential.stdout));
    expect(lines(sequential.stdout)).toHaveLength(3);
    expect([sequential.status, parallel.status]).toEqual([1, 1]);
    // Apart from real-clock timings, the results and the decoded trace are the same.
    const withoutTiming = (text: string) =>
      JSON.stringify(JSON.parse(text), (key, value) =>
        key === 'timing' || key === 'startedAt' || key === 'runId' ? undefined : value,
      );
    const [seqResults, parResults] = await Promise.all(
      ['seq', 'par'].map((d) => readFile(join(dir, d, 'results.json'), 'utf8')),
    );
    expect(withoutTiming(parResults as string)).toBe(withoutTiming(seqResults as string));
    const [seqTrace, parTrace] = await Promise.all(
      ['seq', 'par'].map((d) => readFile(join(dir, d, 'trace.jsonl'), 'utf8')),
    );
    expect(parTrace).toBe(seqTrace);
  }, 120_000);

  it('--json prints machine-readable results and no progress lines', () => {
    const run = trialsim(['run', 'scenarios/commissioning.yaml', '--json', '--out', join(dir, 'json')]);
    expect(run.status).toBe(0);
    const results = JSON.parse(run.stdout) as {
      verdict: string;
      scenarios: { id: string; verdict: string }[];
    };
    expect(results.verdict).toBe('passed');
    expect(results.scenarios.map((s) => [s.id, s.verdict])).toEqual([['commissioning', 'passed']]);
  });

  it('--filter selects by id, title or tag; list shows the suite', () => {
    const list = trialsim(['list', '--json']);
    expect(list.status).toBe(0);
    const ids = (JSON.parse(list.stdout) as { id: string }[]).map((r) => r.id);
    expect(ids).toContain('full-trial-100');
    const run = trialsim(['run', '--filter', 'bad-sig', '--json', '--out', join(dir, 'filter')]);
    expect((JSON.parse(run.stdout) as { scenarios: { id: string }[] }).scenarios.map((s) => s.id)).toEqual([
      'bad-signature',
    ]);
  });
});

describe('a deliberately misbehaving device gets a failed verdict that points at the cause', {
  timeout: 120_000,
}, () => {
  it('exit 1; the message names the step, expected against actual, and shows the corrupted response', async () => {
    const junit = join(dir, 'mis-junit.xml');
    const run = trialsim([
      'run',
      'test/e2e/fixtures/misbehaving-device.yaml',
      '--junit',
      junit,
      '--out',
      join(dir, 'mis'),
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/FAIL\s+misbehaving-device/);
    expect(run.stdout).toMatch(/step 3 \(read the firmware version\): expected I0, got E21/);
    expect(run.stdout).toMatch(/expected: \{"response":"I0"/);
    expect(run.stdout).toMatch(/actual: {3}\{"response":"E21"/);
    expect(run.stdout).toMatch(/esme1 → dcc {2}fault: corrupted byte/);
    // On the GBCS wire the DCC drops the corrupted response as malformed or, when the flipped byte
    // is its transaction counter, as answering no command it sent.
    expect(run.stdout).toMatch(/(malformed message|unsolicited response) from 00-12-4B-00-00-00-01-01/);
    const xml = await readFile(junit, 'utf8');
    expect(xmlProblems(xml)).toEqual([]);
    // The message starts with the file and line of the failing step, as CI annotations read it.
    expect(xml).toMatch(
      /<failure message="test\/e2e\/fixtures\/misbehaving-device.yaml:28: step 3 \(read the firmware version\): expected I0, got E21/,
    );
  });

  it('--bail stops after it: the scenario after the failing one is reported as not run, not dropped', () => {
    const run = trialsim([
      'run',
      'test/e2e/fixtures/misbehaving-device.yaml',
      'test/e2e/fixtures/passing-after.yaml',
      '--bail',
      '--json',
      '--out',
      join(dir, 'bail'),
    ]);
    expect(run.status).toBe(1);
    type Row = { id: string; verdict: string; message?: string; steps: unknown[] };
    const rows = (JSON.parse(run.stdout) as { scenarios: Row[] }).scenarios;
    expect(rows.map((s) => [s.id, s.verdict])).toEqual([
      ['misbehaving-device', 'failed'],
      ['passing-after', 'skipped'],
    ]);
    expect(rows[1]?.message).toBe('not run: --bail stopped the run after misbehaving-device failed');
    expect(rows[1]?.steps).toEqual([]);
  });

  it('--bail with --parallel: workers take the biggest scenario first, yet the report is the sequential one', () => {
    // trial-cap has the most devices, so a worker takes it first (dispatch-order.ts); the failure
    // is still the second scenario in file order, and only what comes after it is not run.
    const run = trialsim([
      'run',
      'test/e2e/fixtures/passing-after.yaml',
      'test/e2e/fixtures/misbehaving-device.yaml',
      'scenarios/commissioning.yaml',
      'scenarios/trial-cap.yaml',
      '--parallel',
      '2',
      '--bail',
      '--json',
      '--out',
      join(dir, 'bail-parallel'),
    ]);
    expect(run.status).toBe(1);
    const rows = (
      JSON.parse(run.stdout) as { scenarios: { id: string; verdict: string; message?: string }[] }
    ).scenarios;
    expect(rows.map((s) => [s.id, s.verdict])).toEqual([
      ['passing-after', 'passed'],
      ['misbehaving-device', 'failed'],
      ['commissioning', 'skipped'],
      ['trial-cap', 'skipped'],
    ]);
    expect(rows[3]?.message).toBe('not run: --bail stopped the run after misbehaving-device failed');
  });

  it('paths given on the command line run in the order given, not sorted', () => {
    const run = trialsim([
      'run',
      'test/e2e/fixtures/passing-after.yaml',
      'test/e2e/fixtures/misbehaving-device.yaml',
      '--json',
      '--out',
      join(dir, 'order'),
    ]);
    const ids = (JSON.parse(run.stdout) as { scenarios: { id: string }[] }).scenarios.map((s) => s.id);
    expect(ids).toEqual(['passing-after', 'misbehaving-device']);
  });
});

describe('deliberately broken scenario files: exit 2 and file:line:col with what is wrong', {
  timeout: 120_000,
}, () => {
  // [folder ('fixtures' or the temp dir), file, line, problem]
  const cases = [
    ['fixtures', 'broken-key.yaml', 11, /steps\.0\.expct: unknown key "expct"/],
    [
      'fixtures',
      'broken-reference.yaml',
      11,
      /steps\.1\.expect\.smi\.device: no device "esme1" in this scenario \(devices: chf1\)/,
    ],
    ['temp', 'broken-yaml.yaml', 9, /not valid YAML/],
  ] as const;
  const pathOf = (folder: string, file: string) =>
    folder === 'fixtures' ? `test/e2e/fixtures/${file}` : join(dir, file);
  for (const [folder, file, line, problem] of cases) {
    it(`${file}: run refuses it before running anything`, () => {
      const run = trialsim(['run', pathOf(folder, file), '--out', join(dir, `broken-${file}`)]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`${pathOf(folder, file).replaceAll('.', '\\.')}:${line}:\\d+: `));
      expect(run.stderr).toMatch(problem);
      expect(run.stdout).not.toMatch(/running/);
    });
  }

  it('validate reports every broken file with its line, and exits 2', () => {
    const run = trialsim(['validate', 'test/e2e/fixtures', join(dir, 'broken-yaml.yaml')]);
    expect(run.status).toBe(2);
    for (const [, file, line] of cases)
      expect(run.stderr).toMatch(new RegExp(`${file.replaceAll('.', '\\.')}:${line}:\\d+: `));
    expect(run.stdout).toMatch(/2 of 5 scenario files valid/);
  });

  it('validate accepts the whole built-in suite (exit 0)', () => {
    const run = trialsim(['validate']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('a path that does not exist is a usage error (exit 2)', () => {
    const run = trialsim(['run', 'scenarios/no-such-scenario.yaml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/not found: scenarios\/no-such-scenario\.yaml/);
  });
});

describe('trialsim schema', { timeout: 120_000 }, () => {
  it('prints the JSON Schema committed as scenarios/scenario.schema.json', async () => {
    const run = trialsim(['schema']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(await readFile(join(SCENARIOS_DIR, 'scenario.schema.json'), 'utf8'));
  });

  it('prints another format’s schema as committed in schemas/; an unknown format is exit 2 naming the formats', async () => {
    const run = trialsim(['schema', 'device-model']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      await readFile(join(SCENARIOS_DIR, '..', 'schemas', 'device-model.schema.json'), 'utf8'),
    );
    const wrong = trialsim(['schema', 'device-models']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain(
      'no format "device-models" (formats: scenario, device-model, cpl, firmware, application, config)',
    );
  });
});
