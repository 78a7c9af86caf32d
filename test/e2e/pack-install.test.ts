import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../harness/package-root.js';

/**
 * trialsim as a manufacturer gets it: `npm pack` of this package, installed from the tarball into
 * a fresh project outside the repository, then `npx trialsim init`, a device model and a scenario
 * of the user's own, `npx trialsim validate` and `npx trialsim run`. It catches what the tests on
 * the source tree cannot: a file missing from package.json's "files", a path that only works
 * inside the repository, a dependency that is only a devDependency.
 *
 * The install is offline (`npm ci --offline` with a lockfile pinning this repository's versions):
 * the dependencies come from npm's cache, which `npm ci` in this repository filled; a dependency
 * missing from it fails the install, named.
 * The tarball is packed with --ignore-scripts, from the dist/ that `npm test` builds before the
 * tests (prepack would rebuild dist/ under the other e2e tests running it); a dist/ older than a
 * source file fails the test rather than packing stale code.
 */
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

let base: string;
let project: string;

function sh(cmd: string, args: readonly string[], cwd: string) {
  const result = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    // Offline and non-interactive: npx must run the installed bin, never fetch a package.
    env: {
      ...process.env,
      NO_COLOR: '1',
      CI: 'true',
      npm_config_offline: 'true',
      npm_config_yes: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, error: result.error };
}

/** The newest .ts under a folder (tests excluded: they are not packed). */
function newestSource(dir: string): { file: string; mtime: number } {
  let newest = { file: '', mtime: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory()
      ? newestSource(path)
      : entry.name.endsWith('.ts')
        ? { file: path, mtime: statSync(path).mtimeMs }
        : newest;
    if (candidate.mtime > newest.mtime) newest = candidate;
  }
  return newest;
}

/**
 * The fresh project's package.json, with this package's overrides (the cbor-extract pin: 2.2.3
 * names a prebuilt package the registry here does not have), which npm applies only from the
 * project's own root.
 */
function projectManifest(spec: string) {
  const own = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  return {
    name: 'meter-trials',
    version: '1.0.0',
    private: true,
    dependencies: { trialsim: spec },
    overrides: own.overrides,
  };
}

/**
 * The fresh project's lockfile: trialsim from the tarball, and its dependencies at the versions
 * this repository's lockfile pins, with their registry URLs and integrity (the entries npm marks
 * dev-only left out). `npm ci --offline` then takes every tarball from the cache `npm ci` filled
 * here; `npm install --offline` would also need the registry's package documents, which npm ci
 * never fetches, so it fails on a machine whose cache was filled only by npm ci.
 */
function projectLock(spec: string) {
  const lock = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, Record<string, unknown> & { dev?: boolean }>;
  };
  const own = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'));
  const packages: Record<string, unknown> = {
    '': { name: 'meter-trials', version: '1.0.0', dependencies: { trialsim: spec } },
    'node_modules/trialsim': {
      version: own.version,
      resolved: spec,
      license: own.license,
      dependencies: own.dependencies,
      bin: own.bin,
      engines: own.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages))
    if (path.startsWith('node_modules/') && entry.dev !== true) packages[path] = entry;
  return { name: 'meter-trials', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'trialsim-pack-'));
  project = join(base, 'meter-trials');
  await mkdir(project);
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('the packed tarball, installed in a manufacturer’s project', { timeout: 180_000 }, () => {
  let tarball: string;

  it('npm pack gives a tarball of the built CLI, its fixtures, scenarios and JSON Schemas', () => {
    // The bundle bin/trialsim.js runs: esbuild writes it after tsc, so it is the newest build output.
    const entry = join(PACKAGE_ROOT, 'dist', 'bundle', 'trialsim.js');
    expect(existsSync(entry), 'dist/ is not built: run `npm run build` first (npm test does)').toBe(true);
    const builtAt = statSync(entry).mtimeMs;
    for (const folder of ['harness', 'simulator']) {
      const newest = newestSource(join(PACKAGE_ROOT, folder));
      expect(
        newest.mtime <= builtAt,
        `dist/ is older than ${relative(PACKAGE_ROOT, newest.file)}: run \`npm run build\` first`,
      ).toBe(true);
    }
    const pack = sh(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', base], PACKAGE_ROOT);
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const files = new Set(info?.files.map((f) => f.path));
    for (const file of [
      'bin/trialsim.js',
      'dist/harness/cli/trialsim.js',
      'dist/bundle/trialsim.js',
      'dist/bundle/scenario-worker.js',
      'dist/bundle/fleet-worker.js',
      'scenarios/scenario.schema.json',
      'schemas/device-model.schema.json',
      'schemas/config.schema.json',
      'fixtures/device-models/acme-comms-hub.yaml',
      'docs/formats.md',
    ])
      expect(files.has(file), `${file} is not in the tarball`).toBe(true);
    // Nothing of the test tree or the TypeScript sources: the package runs from dist/.
    expect(
      [...files].filter((f) => f.startsWith('test/') || /^(harness|simulator)\/.*\.ts$/.test(f)),
    ).toEqual([]);
    tarball = join(base, info?.filename ?? 'missing.tgz');
    expect(existsSync(tarball)).toBe(true);
  });

  it('installs offline into a fresh project outside the repository', async () => {
    expect(relative(PACKAGE_ROOT, project).startsWith('..')).toBe(true);
    const spec = `file:${relative(project, tarball)}`;
    await writeFile(join(project, 'package.json'), `${JSON.stringify(projectManifest(spec), null, 2)}\n`);
    await writeFile(join(project, 'package-lock.json'), `${JSON.stringify(projectLock(spec), null, 2)}\n`);
    const install = sh(NPM, ['ci', '--offline', '--no-audit', '--no-fund'], project);
    expect(install.status, `npm ci --offline of the tarball failed:\n${install.stderr}`).toBe(0);
    const installed = join(project, 'node_modules', 'trialsim');
    // A copy from the tarball, not a link back into this repository.
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(existsSync(join(installed, 'dist', 'harness', 'cli', 'trialsim.js'))).toBe(true);
    // Every runtime dependency is installed beside it: a dependency the package needs but only
    // this repository's devDependencies provide would be missing here.
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    for (const dependency of Object.keys(manifest.dependencies ?? {}))
      expect(existsSync(join(project, 'node_modules', dependency, 'package.json')), dependency).toBe(true);
  });

  it('npx trialsim init scaffolds the project; every schema its files point at is in the installed package', () => {
    const init = sh(NPX, ['trialsim', 'init'], project);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain('scenarios/my-first-trial.yaml');
    const pointers: string[] = [];
    for (const file of [
      'scenarios/my-first-trial.yaml',
      'device-models/my-trial-esme.yaml',
      'device-models/my-comms-hub.yaml',
      'cpl/cpl.yaml',
      'firmware/my-trial-esme-0.9.1.yaml',
      'application.yaml',
    ]) {
      const first = readFileSync(join(project, file), 'utf8').split('\n')[0] ?? '';
      const pointer = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)?.[1];
      expect(pointer, `${file}: ${first}`).toBeDefined();
      pointers.push(resolve(project, file, '..', pointer ?? ''));
    }
    const config = JSON.parse(readFileSync(join(project, 'trialsim.config.json'), 'utf8'));
    pointers.push(resolve(project, config.$schema));
    for (const path of pointers) expect(existsSync(path), path).toBe(true);
    expect(new Set(pointers).size).toBe(6);
  });

  it('a device model and a scenario of the user’s own validate and run; the evidence names them and verifies', async () => {
    // The trial ESME on firmware 0.9.1 (on the scaffolded CPL under the trial's reference).
    await writeFile(
      join(project, 'device-models', 'my-trial-esme-091.yaml'),
      '# yaml-language-server: $schema=../node_modules/trialsim/schemas/device-model.schema.json\n' +
        'deviceType: ESME\nmanufacturer: Example Meters Ltd\nmodel: EX-E-TRIAL\nhardwareVersion: "1.0"\n' +
        'firmwareVersion: "0.9.1"\nfirmware: { imageType: 1 }\n',
    );
    await writeFile(
      join(project, 'scenarios', 'second-meter.yaml'),
      `# yaml-language-server: $schema=../node_modules/trialsim/scenarios/scenario.schema.json
scenario: second-meter
title: A second trial ESME, already on 0.9.1, commissions and reports its firmware
cpl:
  - fixture: ../cpl/cpl.yaml
trials:
  - { trialId: T-0001, cpaCertificateReference: TRIAL-SSC-0001, manufacturer: Example Meters Ltd, deviceType: ESME, sponsor: supplier-a }
devices:
  - { id: chf1, model: ../device-models/my-comms-hub.yaml, eui: 00-12-4B-00-00-00-00-01, preinstalled: true }
  - { id: esme2, model: ../device-models/my-trial-esme-091.yaml, eui: 00-12-4B-00-00-00-01-02, chf: chf1 }
steps:
  - send: { as: supplier-a, srv: "12.2", device: esme2 }
    expect: { response: I0 }
  - send: { as: supplier-a, srv: "8.11", device: esme2 }
    expect: { response: I0 }
  - send: { as: supplier-a, srv: "8.4", device: esme2 }
    expect: { response: I0 }
  - send: { as: supplier-a, srv: "8.1.1", device: esme2 }
    expect: { response: I0, body: { status: success } }
  - expect: { smi: { device: esme2, status: Commissioned, trial: T-0001 } }
  - send: { as: supplier-a, srv: "11.2", device: esme2 }
    expect: { response: I0, body: { firmwareVersion: "0.9.1" } }
`,
    );
    const validate = sh(NPX, ['trialsim', 'validate'], project);
    expect(validate.stderr).toBe('');
    expect(validate.stdout).toContain('2 of 2 scenario files valid');
    expect(validate.status).toBe(0);

    const run = sh(NPX, ['trialsim', 'run', '--seed', 'pack-install-test'], project);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('PASS  second-meter');
    expect(run.stdout).toContain('PASS  my-first-trial');

    const evidence = join(project, 'evidence');
    const results = JSON.parse(readFileSync(join(evidence, 'results.json'), 'utf8'));
    const byId = new Map<string, { verdict: string; fixtures: string[] }>(
      results.scenarios.map((s: { id: string; verdict: string; fixtures: string[] }) => [s.id, s]),
    );
    expect([...byId.keys()].sort()).toEqual(['my-first-trial', 'second-meter']);
    for (const scenario of byId.values()) expect(scenario.verdict).toBe('passed');
    // results.json gives fixtures relative to the run's working folder (the project).
    const fixtures = (byId.get('second-meter')?.fixtures ?? []).map((f) => resolve(project, f));
    expect(fixtures).toContain(join(project, 'device-models', 'my-trial-esme-091.yaml'));
    expect(fixtures.every((f) => f.startsWith(project))).toBe(true);
    // The config's junit and application were used; the bundle verifies with the installed CLI.
    expect(existsSync(join(project, 'junit.xml'))).toBe(true);
    expect(existsSync(join(evidence, 'application.yaml'))).toBe(true);
    // Signed with the test PKI's key (no --signing-key): integrity is what can hold here.
    const verify = sh(NPX, ['trialsim', 'verify', 'evidence', '--integrity-only'], project);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('integrity: holds');
  });
});
