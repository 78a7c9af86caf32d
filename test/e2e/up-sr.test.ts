import { mkdtemp, readFile, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpConnection } from '../../harness/live/up-connection.js';
import { type Child, startChild } from '../support/child-processes.js';
import { CLI_ARGS, trialsim } from '../support/run-cli.js';

let dir: string;
let up: Child | undefined;
let output = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-up-'));
  up = startChild(process.execPath, [
    ...CLI_ARGS,
    'up',
    'scenarios/commissioning.yaml',
    '--port',
    '0',
    '--dir',
    dir,
  ]);
  await up.waitFor(/try: .*\n/, 'stdout');
  output = up.stdout();
}, 60_000);

afterAll(async () => {
  await up?.stop();
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

  it("up's first try: hint works as printed", () => {
    const hint = /try: +trialsim (.*)\n/.exec(output)?.[1] ?? '';
    expect(hint).toBe(`sr --stack ${dir} --as supplier-a --srv 8.2 --device chf1`);
    const run = trialsim(hint.split(' '));
    expect(run.stdout, run.stderr).toMatch(/outcome: I0/);
    expect(run.status).toBe(0);
  });

  it('watch shows the decoded messages of the stack, filtered by SRV and device; up logs each SR and its outcome', async () => {
    const watch = startChild(process.execPath, [
      ...CLI_ARGS,
      'watch',
      '--stack',
      dir,
      '--srv',
      '8.2',
      '--device',
      'chf1',
    ]);
    try {
      await watch.waitFor(/Ctrl-C stops/, 'stderr');
      // esme1 is not in the SMI yet (E19) and 11.2 is another SRV: the filters leave both out.
      expect(
        trialsim(['sr', '--stack', dir, '--as', 'supplier-a', '--srv', '8.2', '--device', 'esme1']).stdout,
      ).toMatch(/outcome: E19/);
      expect(
        trialsim(['sr', '--stack', dir, '--as', 'supplier-a', '--srv', '11.2', '--device', 'chf1']).status,
      ).not.toBe(2);
      const asked = trialsim([
        'sr',
        '--stack',
        dir,
        '--as',
        'network-operator',
        '--srv',
        '8.2',
        '--device',
        'chf1',
      ]);
      const requestId = asked.stdout.split('\n')[0] as string;
      await watch.waitFor(new RegExp(`DCC → network-operator  8\\.2 I0  ${requestId}`), 'stdout');
      const lines = watch.stdout().trim().split('\n');
      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(`^#\\d+ [\\d:.]+ network-operator → DCC  SR 8\\.2 CV8  ${requestId}$`),
        ),
        expect.stringMatching(new RegExp(`^#\\d+ [\\d:.]+ DCC → network-operator  8\\.2 I0  ${requestId}$`)),
      ]);
      await up?.waitFor(/DCC → supplier-a {2}8\.2 E19 {2}/, 'stdout');
      await up?.waitFor(new RegExp(`DCC → network-operator  8\\.2 I0  ${requestId}`), 'stdout');
      expect(up?.stdout()).toMatch(new RegExp(`network-operator → DCC  SR 8\\.2 CV8  ${requestId}`));
    } finally {
      await watch.stop();
    }
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
    // The ECS70 response carries the device time it set (GBCS.md §2.7).
    expect(commission.stdout).toMatch(/I0 \{"status":"success","deviceTime":"[^"]+"\}/);
    expect(commission.status).toBe(0);
  });

  it('sr 4.1.1 opens the ECS17b registers with the party’s exported KA key; without that key file it says which key is missing', async () => {
    const read = () =>
      trialsim(['sr', '--stack', dir, '--as', 'supplier-a', '--srv', '4.1.1', '--device', 'esme1']);
    const opened = read();
    expect(opened.stdout, opened.stderr).toMatch(/I0 \{"status":"success","importRegisterWh":\d+\}/);
    expect(opened.status).toBe(0);
    const connection = JSON.parse(await readFile(join(dir, 'up.json'), 'utf8')) as UpConnection;
    const keyFile = join(connection.pkiDir, 'supplier-a-ka.key.pem');
    await rename(keyFile, `${keyFile}.away`);
    try {
      const unopened = read();
      // The SR still ends (I0: the ESME answered); the body names the rule and keeps no reading.
      expect(unopened.stdout, unopened.stderr).toMatch(/outcome: I0/);
      expect(unopened.stdout).toMatch(/"registersNotOpened":\{"rule":"ECS17B-NO-OWN-KA-KEY"/);
      expect(unopened.stdout).not.toMatch(/importRegisterWh/);
    } finally {
      await rename(`${keyFile}.away`, keyFile);
    }
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
