import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ARGS } from '../support/run-cli.js';

/**
 * A newcomer's first minutes: `trialsim init` in a folder outside trialsim's tree, then validate
 * and run there, from the project and from a folder inside it. The CLI runs with the user's
 * folder as its working folder, so nothing can lean on trialsim's own fixtures/ or scenarios/.
 */
function trialsimIn(cwd: string, args: readonly string[]) {
  const result = spawnSync(process.execPath, [...CLI_ARGS, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let base: string;
let project: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'trialsim-init-'));
  project = join(base, 'my-meter');
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('trialsim init: a project that validates and runs where it is', { timeout: 240_000 }, () => {
  it('scaffolds config, scenario, device models, CPL, firmware, application, CI workflow and README', async () => {
    const init = trialsimIn(base, ['init', 'my-meter']);
    expect(init.status, init.stderr).toBe(0);
    for (const file of [
      'trialsim.config.json',
      'scenarios/my-first-trial.yaml',
      'device-models/my-trial-esme.yaml',
      'device-models/my-comms-hub.yaml',
      'cpl/cpl.yaml',
      'firmware/my-trial-esme-0.9.1.yaml',
      'application.yaml',
      '.github/workflows/trialsim.yml',
      'README.md',
    ]) {
      expect(init.stdout).toContain(file);
      expect(existsSync(join(project, file)), file).toBe(true);
    }
  });

  it('validate passes on what init made (scenarios found through the config)', () => {
    const validate = trialsimIn(project, ['validate']);
    expect(validate.stderr).toBe('');
    expect(validate.stdout).toContain('1 of 1 scenario files valid');
    expect(validate.status).toBe(0);
  });

  it('run passes from a folder inside the project: config found upward, paths relative to the scenario', async () => {
    const run = trialsimIn(join(project, 'scenarios'), ['run']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('PASS  my-first-trial');
    // The config's out, junit and application, relative to the config file, not the working folder.
    const results = JSON.parse(await readFile(join(project, 'evidence', 'results.json'), 'utf8'));
    expect(results.scenarios.map((s: { verdict: string }) => s.verdict)).toEqual(['passed']);
    // The project's own device model, CPL and firmware went into the evidence, not trialsim's.
    // results.json gives them relative to the working folder of the run.
    const fixtures = (results.scenarios[0].fixtures as string[]).map((f) => resolve(project, 'scenarios', f));
    expect(fixtures).toContain(join(project, 'device-models', 'my-trial-esme.yaml'));
    expect(fixtures).toContain(join(project, 'cpl', 'cpl.yaml'));
    expect(fixtures).toContain(join(project, 'firmware', 'my-trial-esme-0.9.1.yaml'));
    expect(fixtures.every((f) => f.startsWith(project))).toBe(true);
    expect(existsSync(join(project, 'junit.xml'))).toBe(true);
    expect(await readFile(join(project, 'evidence', 'application.yaml'), 'utf8')).toContain('EX-E-TRIAL');
  });

  it('a flag on the command line wins over the config file', () => {
    const run = trialsimIn(project, ['run', '--out', 'flag-evidence']);
    expect(run.status, run.stderr).toBe(0);
    expect(existsSync(join(project, 'flag-evidence', 'results.json'))).toBe(true);
  });

  it('a broken device model in the project fails the run (the project file is the one used)', async () => {
    const model = join(project, 'device-models', 'my-trial-esme.yaml');
    const original = await readFile(model, 'utf8');
    await writeFile(model, original.replace('firmwareVersion: "0.9.0"', 'firmwareVersion: "0.9.7"'));
    try {
      const run = trialsimIn(project, ['run', '--out', 'broken-evidence']);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('FAIL');
    } finally {
      await writeFile(model, original);
    }
  });

  it('init refuses to overwrite: names every file already there, writes nothing', async () => {
    const readme = join(project, 'README.md');
    await writeFile(readme, '# my own notes\n');
    const again = trialsimIn(base, ['init', 'my-meter']);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('not overwriting trialsim.config.json');
    expect(again.stderr).toContain('README.md');
    expect(again.stderr).toContain('nothing written');
    expect(await readFile(readme, 'utf8')).toBe('# my own notes\n');
  });

  it('an unknown key in the config file is an error naming the key, the file and its line', async () => {
    const dir = join(base, 'misspelt');
    expect(trialsimIn(base, ['init', 'misspelt']).status).toBe(0);
    const config = join(dir, 'trialsim.config.json');
    await writeFile(config, '{\n  "scenarios": ["scenarios"],\n  "sede": "secret"\n}\n');
    const run = trialsimIn(dir, ['validate']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${config}:3:3: unknown key "sede" (did you mean "seed"?)`);
  });
});
