import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrokerPrincipal,
  brokerClientId,
  deriveBrokerCredentials,
} from '../../../simulator/adapters/mqtt/broker-access-control.js';
import { probeBroker } from '../../../simulator/adapters/mqtt/broker-probe.js';
import {
  mosquittoAclFile,
  mosquittoConfFile,
  mosquittoPasswordFile,
} from '../../../simulator/adapters/mqtt/mosquitto-acl.js';
import {
  DCC,
  DEVICE_B,
  deviceA,
  deviceB,
  nextMessage,
  SEED,
  SUPPLIER_B,
  supplierA,
  supplierB,
  topics,
} from '../../support/broker-harness.js';

/**
 * The generated mosquitto configuration enforces the same rules as the embedded broker's
 * BrokerAccessControl. Needs Debian's `mosquitto` package (CI: apt-get install -y mosquitto);
 * skipped where it is not installed.
 */
const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));
const PRINCIPALS: BrokerPrincipal[] = [DCC, deviceA, deviceB, supplierA, supplierB];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe.skipIf(MOSQUITTO === undefined)('external mosquitto configured from the generated ACL', () => {
  let dir: string;
  let broker: ChildProcess;
  let url: string;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trialsim-mosquitto-'));
    const passwords = join(dir, 'passwd');
    writeFileSync(passwords, mosquittoPasswordFile(SEED, PRINCIPALS));
    execFileSync('mosquitto_passwd', ['-U', passwords]);
    writeFileSync(join(dir, 'acl'), mosquittoAclFile(topics, PRINCIPALS));
    const port = await freePort();
    url = `mqtt://127.0.0.1:${port}`;
    writeFileSync(
      join(dir, 'mosquitto.conf'),
      [
        // The configuration trialsim generates (mosquitto refuses to start on one it cannot read).
        mosquittoConfFile({ port, passwordFile: passwords, aclFile: join(dir, 'acl') }).trimEnd(),
        'persistence false',
        // Run as whoever runs the tests: as root, mosquitto would drop to a user who cannot read dir.
        `user ${userInfo().username}`,
        'log_dest stderr', // unbuffered, unlike stdout to a pipe
        'log_type all',
      ].join('\n'),
    );
    broker = spawn(MOSQUITTO as string, ['-c', join(dir, 'mosquitto.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Wait for mosquitto to say it listens (its own start-up message, not a timer).
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/Opening ipv4 listen socket on port|running/.test(output)) resolve();
      };
      broker.stdout?.on('data', onData);
      broker.stderr?.on('data', onData);
      broker.once('exit', (code) => reject(new Error(`mosquitto exited (${code}): ${output}`)));
    });
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.endAsync(true)));
    broker?.kill();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function login(principal: BrokerPrincipal, password?: string): Promise<MqttClient> {
    const creds = deriveBrokerCredentials(SEED, principal);
    const client = await mqtt.connectAsync(url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      clientId: brokerClientId(topics.namespace, principal),
      username: creds.username,
      password: password ?? creds.password,
    });
    clients.push(client);
    return client;
  }

  it('BROKER-AUTH - mosquitto refuses a wrong password', async () => {
    await expect(login(deviceA, 'guess')).rejects.toThrow(/not authorized|bad username/i);
  });

  it('BROKER-ACL - own topics work; a forged publish and a snooping subscription get nothing through', async () => {
    const dcc = await login(DCC);
    await dcc.subscribeAsync(topics.dccSubscriptions(), { qos: 1 });
    const owner = await login(supplierB);
    await owner.subscribeAsync(topics.dccOut(SUPPLIER_B), { qos: 1 });
    const spy = await login(supplierA);
    // mosquitto 2 answers a denied subscription with 0x80; either way the spy must get nothing.
    await spy.subscribeAsync(topics.dccOut(SUPPLIER_B), { qos: 1 }).catch(() => undefined);
    const seen: string[] = [];
    dcc.on('message', (_t, p) => seen.push(p.toString()));
    spy.on('message', (_t, p) => seen.push(`spy:${p.toString()}`));

    const rogue = await login(deviceA);
    // mosquitto drops a denied QoS 1 publish after acknowledging it (MQTT 3.1.1 §3.3.5).
    await rogue.publishAsync(topics.wanUp(DEVICE_B), 'forged', { qos: 1 }).catch(() => undefined);
    const marker = await login(deviceB);
    const arrived = nextMessage(dcc, topics.wanUp(DEVICE_B));
    await marker.publishAsync(topics.wanUp(DEVICE_B), 'genuine', { qos: 1 });
    expect((await arrived).toString()).toBe('genuine');

    const forOwner = nextMessage(owner, topics.dccOut(SUPPLIER_B));
    await dcc.publishAsync(topics.dccOut(SUPPLIER_B), 'for B only', { qos: 1 });
    expect((await forOwner).toString()).toBe('for B only');
    // The owner's copy has arrived; the spy's, had it been sent on the same broker pass, too.
    const ownAgain = nextMessage(owner, topics.dccOut(SUPPLIER_B));
    await dcc.publishAsync(topics.dccOut(SUPPLIER_B), 'second', { qos: 1 });
    await ownAgain;
    expect(seen).toEqual(['genuine']);
  });

  it("the broker probe, logged in as the DCC, reads mosquitto's version ($SYS) and times its PUBACKs", async () => {
    const probe = await probeBroker({
      url,
      clientId: `${brokerClientId(topics.namespace, DCC)}-probe`,
      ...deriveBrokerCredentials(SEED, DCC),
      // No party may write it: mosquitto drops the probe's messages and still acknowledges them.
      topic: topics.probe(),
    });
    expect(probe.failed).toBeUndefined();
    expect(probe.software).toMatch(/^mosquitto version \d+\.\d+/);
    // set_tcp_nodelay true, as mosquittoConfFile writes it.
    expect(probe.roundTrip?.nagleDelay).toBe(false);
  });

  it('only the DCC may read the version: a device logged in gets no $SYS message', async () => {
    const creds = deriveBrokerCredentials(SEED, deviceA);
    const probe = await probeBroker({ url, clientId: 'device-a-probe', ...creds, topic: topics.probe() });
    expect(probe.failed).toBeUndefined();
    expect(probe.software).toBeUndefined();
  });
});
