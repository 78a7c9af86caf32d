import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The CLI as a user runs it: the compiled bin (npm test builds first). */
const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'trialsim.js');

function trialsim(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trialsim run', () => {
  it('runs scenarios/commissioning.yaml, prints the outcome, exits 0 and writes results.json', async () => {
    const out = join(dir, 'evidence');
    const run = trialsim('run', 'scenarios/commissioning.yaml', '--out', out, '--seed', 'cli-test');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/PASS\s+commissioning/);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.verdict).toBe('passed');
    expect(results.scenarios[0].id).toBe('commissioning');
    expect(results.scenarios[0].steps.every((s: { verdict: string }) => s.verdict === 'passed')).toBe(true);
  });

  it('a missing scenario file gives a one-line error saying what to fix, and exit 2', () => {
    const run = trialsim('run', 'scenarios/no-such-scenario.yaml', '--out', join(dir, 'x'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/not found: scenarios\/no-such-scenario\.yaml/);
  });

  it('a wrong argument gives a one-line error, and exit 2', () => {
    const run = trialsim('run', '--broker', 'http://localhost:1883');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/must start with mqtt:\/\//);
    const unknown = trialsim('run', '--frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--frobnicate'/);
  });
});

describe('trialsim pki', () => {
  it('exports PEM files that openssl x509 -text reads, one key usage each, critical', async () => {
    const out = join(dir, 'pki');
    const run = trialsim('pki', '--out', out, '--device', '00-12-4B-00-00-00-01-01');
    expect(run.code).toBe(0);
    const files = await readdir(out);
    expect(files).toContain('root-ca.pem');
    const supplierDs = execFileSync(
      'openssl',
      ['x509', '-text', '-noout', '-in', join(out, 'supplier-a-ds.pem')],
      { encoding: 'utf8' },
    );
    expect(supplierDs).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\s*\n/);
    expect(supplierDs).toMatch(/ecdsa-with-SHA256/);
    expect(supplierDs).toMatch(/OU\s*=\s*02/);
    const deviceKa = files.find((f) => f.startsWith('device-') && f.endsWith('-ka.pem'));
    expect(deviceKa).toBeDefined();
    const text = execFileSync('openssl', ['x509', '-text', '-noout', '-in', join(out, deviceKa as string)], {
      encoding: 'utf8',
    });
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Key Agreement\s*\n/);
  });
});
