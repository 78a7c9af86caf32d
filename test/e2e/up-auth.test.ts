import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpConnection } from '../../harness/live/up-connection.js';
import {
  brokerClientId,
  deriveBrokerCredentials,
} from '../../simulator/adapters/mqtt/broker-access-control.js';
import { parseEui } from '../../simulator/domain/eui.js';
import { type Child, startChild } from '../support/child-processes.js';
import { CLI_ARGS, trialsim } from '../support/run-cli.js';

/**
 * `trialsim up --auth`: the running stack behind the access control of `run`, and saying so. Each
 * refusal is the broker's CONNACK, awaited as an event; nothing sleeps.
 */
let dir: string;
let up: Child | undefined;
let output = '';
let connection: UpConnection;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-up-auth-'));
  up = startChild(process.execPath, [
    ...CLI_ARGS,
    'up',
    'scenarios/commissioning.yaml',
    '--auth',
    '--port',
    '0',
    '--dir',
    dir,
    '--quiet',
  ]);
  await up.waitFor(/try: .*\n/, 'stdout');
  output = up.stdout();
  connection = JSON.parse(await readFile(join(dir, 'up.json'), 'utf8')) as UpConnection;
}, 60_000);

afterAll(async () => {
  await up?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The CONNACK outcome of one login: 'accepted', or the broker's refusal. */
async function login(options: mqtt.IClientOptions): Promise<string> {
  const client = mqtt.connect(connection.brokerUrl, {
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    ...options,
  });
  try {
    return await new Promise<string>((resolve) => {
      client.once('connect', () => resolve('accepted'));
      client.once('error', (err) => resolve(`refused: ${err.message}`));
      client.once('close', () => resolve('refused: closed'));
    });
  } finally {
    await client.endAsync(true);
  }
}

describe('up --auth runs the access control of run and says so', { timeout: 60_000 }, () => {
  it('says the broker has access control on, names the public default seed, and records auth in up.json', () => {
    expect(output).toMatch(/broker {5}mqtt:\/\/127\.0\.0\.1:\d+ +\(MQTT 3\.1\.1, access control on/);
    expect(output).not.toMatch(/OPEN/);
    expect(output).toMatch(/seed {7}the public default seed "trialsim".*--seed <secret>/);
    expect(connection.auth).toBe(true);
    // The access control has no reader for the decoded stream: up.json offers none.
    expect(connection.watchTopic).toBeUndefined();
  });

  it('an anonymous login is refused', async () => {
    expect(await login({ clientId: 'anonymous-probe' })).toMatch(
      /^refused: .*(Not authorized|Bad username)/i,
    );
  });

  it("a login with supplier-a's own derived credentials and client id cannot take over its session", async () => {
    const eui = parseEui(connection.parties.find((p) => p.name === 'supplier-a')?.eui ?? '');
    const principal = { role: 'user', eui } as const;
    const outcome = await login({
      clientId: brokerClientId(connection.namespace, principal),
      ...deriveBrokerCredentials(connection.seed, principal),
    });
    expect(outcome).toMatch(/^refused: /);
    // up is still running: its parties were not kicked.
    expect(up?.process.exitCode).toBeNull();
  });

  it('sr refuses a stack run with --auth, naming why (exit 2)', () => {
    const run = trialsim(['sr', '--stack', dir, '--as', 'supplier-a', '--srv', '8.2', '--device', 'chf1']);
    expect(run.stderr).toMatch(/runs with --auth: .*without --auth for sr/);
    expect(run.status).toBe(2);
  });
});

describe('up without --auth says plainly that its broker is open', { timeout: 60_000 }, () => {
  it('prints OPEN and accepts an anonymous login', async () => {
    const openDir = await mkdtemp(join(tmpdir(), 'trialsim-up-open-'));
    const open = startChild(process.execPath, [
      ...CLI_ARGS,
      'up',
      'scenarios/commissioning.yaml',
      '--port',
      '0',
      '--dir',
      openDir,
      '--quiet',
    ]);
    try {
      await open.waitFor(/try: .*\n/, 'stdout');
      expect(open.stdout()).toMatch(
        /broker {5}mqtt:\/\/127\.0\.0\.1:\d+ +\(MQTT 3\.1\.1, OPEN: no credentials/,
      );
      const openConnection = JSON.parse(await readFile(join(openDir, 'up.json'), 'utf8')) as UpConnection;
      expect(openConnection.auth).toBe(false);
      const client = await mqtt.connectAsync(openConnection.brokerUrl, { reconnectPeriod: 0 });
      await client.endAsync(true);
    } finally {
      await open.stop();
      await rm(openDir, { recursive: true, force: true });
    }
  });
});

describe('up ends with the cause when its running stack fails', { timeout: 60_000 }, () => {
  it("BROKER_CONNECTION_LOST - on the open broker a login that takes the DCC's client id kicks it: up exits 3 naming the lost connection", async () => {
    const openDir = await mkdtemp(join(tmpdir(), 'trialsim-up-kicked-'));
    const open = startChild(process.execPath, [
      ...CLI_ARGS,
      'up',
      'scenarios/commissioning.yaml',
      '--port',
      '0',
      '--dir',
      openDir,
      '--namespace',
      'kicked',
      '--quiet',
    ]);
    try {
      await open.waitFor(/try: .*\n/, 'stdout');
      const exited = new Promise<number | null>((resolve) =>
        open.process.once('exit', (code) => resolve(code)),
      );
      const openConnection = JSON.parse(await readFile(join(openDir, 'up.json'), 'utf8')) as UpConnection;
      // An open broker (aedes' default) lets a second login with a client id kick the first.
      const intruder = await mqtt.connectAsync(openConnection.brokerUrl, {
        reconnectPeriod: 0,
        clientId: brokerClientId('kicked', { role: 'dcc' }),
      });
      try {
        expect(await exited).toBe(3);
      } finally {
        await intruder.endAsync(true);
      }
      expect(open.stderr()).toMatch(/kicked-dcc: the broker closed its connection/);
      expect(open.stderr()).not.toMatch(/\n\s+at /);
    } finally {
      await open.stop();
      await rm(openDir, { recursive: true, force: true });
    }
  });
});
