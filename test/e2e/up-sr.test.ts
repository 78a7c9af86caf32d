import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpConnection } from '../../harness/cli/up-connection.js';
import { trialsim, trialsimAsync } from '../support/run-cli.js';

let dir: string;
let up: ReturnType<typeof trialsimAsync> | undefined;
let output = '';

/** Resolves when `up` has printed its connection details (or fails if it exits first). */
function ready(): Promise<void> {
  return new Promise((resolve, reject) => {
    up?.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('stack file')) resolve();
    });
    up?.on('exit', (code) =>
      reject(new Error(`trialsim up exited (${code}) before it was ready: ${output}`)),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-up-'));
  up = trialsimAsync(['up', 'scenarios/commissioning.yaml', '--port', '0', '--dir', dir]);
  await ready();
}, 60_000);

afterAll(async () => {
  if (up === undefined || up.exitCode !== null) return;
  const exited = new Promise((resolve) => up?.on('exit', resolve));
  up.kill('SIGINT');
  await exited;
});

describe('trialsim up + trialsim sr: a running stack for manual and real-device work', {
  timeout: 60_000,
}, () => {
  it('up prints how to connect and writes up.json with the broker, topics, parties and PKI files', async () => {
    expect(output).toMatch(/broker {5}mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/supplier-a +90-B3-D5-1F-30-01-00-00 +IS/);
    expect(output).toMatch(/esme1 +00-12-4B-00-00-00-01-01 +ESME/);
    const connection = JSON.parse(await readFile(join(dir, 'up.json'), 'utf8')) as UpConnection;
    expect(connection.topics.dccIn).toBe('trialsim/v1/up/dcc/in/{userEUI}');
    const supplier = connection.parties.find((p) => p.name === 'supplier-a');
    expect((await stat(supplier?.dsKeyFile ?? '')).isFile()).toBe(true);
    expect((await stat(join(connection.pkiDir, 'index.json'))).isFile()).toBe(true);
  });

  it('sr commissions the trial ESME through the running stack, signing 8.1.1 with the exported key', () => {
    for (const srv of ['12.2', '8.11', '8.4']) {
      const run = trialsim(['sr', '--stack', dir, '--as', 'supplier-a', '--srv', srv, '--device', 'esme1']);
      expect(run.stdout, `${srv}: ${run.stderr}`).toMatch(/outcome: I0/);
      expect(run.status).toBe(0);
    }
    const commission = trialsim([
      'sr',
      '--stack',
      dir,
      '--as',
      'supplier-a',
      '--srv',
      '8.1.1',
      '--device',
      'esme1',
    ]);
    expect(commission.stdout).toMatch(/I99/);
    expect(commission.stdout).toMatch(/I0 \{"status":"success"\}/);
    expect(commission.status).toBe(0);
  });

  it('E4 - sr as a supplier that is not registered for the device is refused (exit 1)', () => {
    const run = trialsim(['sr', '--stack', dir, '--as', 'supplier-b', '--srv', '4.1.1', '--device', 'esme1']);
    expect(run.stdout).toMatch(/outcome: E4/);
    expect(run.status).toBe(1);
  });

  it('sr as a party that is not a DCC User is a usage error (exit 2)', () => {
    const run = trialsim(['sr', '--stack', dir, '--as', 'acb', '--srv', '8.2', '--device', 'esme1']);
    expect(run.stderr).toMatch(/"acb" is not a DCC User/);
    expect(run.status).toBe(2);
  });
});
