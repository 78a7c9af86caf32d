import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureScenarioEvidence } from '../../../harness/evidence/scenario-capture.js';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';
import { SimStack } from '../../../harness/stack/sim-stack.js';
import { runSuite } from '../../../harness/suite/run-suite.js';
import {
  brokerClientId,
  deriveBrokerCredentials,
  KEPT_REFUSALS,
  SHOWN_REFUSALS,
} from '../../../simulator/adapters/mqtt/broker-access-control.js';
import { ACME_CPL, CHF, esme, START } from '../../support/acme-world.js';

let stack: SimStack | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await stack?.stop();
  stack = undefined;
});

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}

function closedByPeer(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
}

describe('closing a stack does not wait for idle or half-open connections', () => {
  const dut = esme(1);
  // Started outside the test: its bound is for the stop, not for a start on a loaded machine.
  beforeEach(async () => {
    stack = await SimStack.start({
      seed: 'idle-connections',
      start: START,
      devices: [CHF, dut],
      cpl: ACME_CPL,
      externalDevices: [dut.id],
    });
  });

  // aedes gives a silent connection 30 s to send CONNECT and never drops a keepalive-0 client:
  // the bound below (the test's timeout) is far less than either.
  it('stop() ends idle, half-open and keepalive-0 connections at once', { timeout: 5_000 }, async () => {
    const running = stack as SimStack;
    const idle = await openSocket(running.brokerUrl);
    // Half-open: a CONNECT announced (0x10, remaining length 127) but never finished.
    const halfOpen = await openSocket(running.brokerUrl);
    halfOpen.write(Buffer.from([0x10, 0x7f, 0x00]));
    halfOpen.pause();
    // An authenticated client with keepalive 0: the broker would hold it forever.
    const principal = { role: 'device' as const, eui: dut.eui };
    const forever = await mqtt.connectAsync(running.brokerUrl, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      keepalive: 0,
      clientId: brokerClientId(running.topics.namespace, principal),
      ...deriveBrokerCredentials('idle-connections', principal),
    });
    const foreverClosed = new Promise<void>((resolve) => forever.once('close', () => resolve()));
    await running.stop();
    stack = undefined;
    await Promise.all([closedByPeer(idle), closedByPeer(halfOpen), foreverClosed]);
    await forever.endAsync(true);
  });
});

describe('bounded, honestly attributed refusals', () => {
  it(`BROKER-AUTH - 400 unauthenticated logins with long user names: counted, the first ${KEPT_REFUSALS} kept as claims, trace and memory bounded`, {
    timeout: 60_000,
  }, async () => {
    stack = await SimStack.start({ seed: 'refusal-flood', start: START, devices: [CHF], cpl: ACME_CPL });
    const supplierA = stack.user('supplier-a').eui;
    const heapBefore = process.memoryUsage().heapUsed;
    const attempts = 400;
    const long = 'x'.repeat(8_000);
    const url = stack.brokerUrl;
    for (let batch = 0; batch < attempts; batch += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const n = batch + i;
          // Half claim supplier-a's own user name (with a wrong, long password), half garbage.
          const username = n % 2 === 0 ? `user-${supplierA}` : `user-${supplierA}${long}${n}`;
          return mqtt
            .connectAsync(url, {
              protocolVersion: 4,
              reconnectPeriod: 0,
              clientId: `attacker-${n}-${long.slice(0, 500)}`,
              username,
              password: long,
            })
            .then(
              (client) => {
                void client.endAsync(true);
                throw new Error(`attempt ${n} was let in`);
              },
              (err: Error) => expect(err.message).toMatch(/Bad username or password/),
            );
        }),
      );
    }
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1_048_576;
    await stack.stop();
    // What results.json and the report get: the count by rule, the first few as claims.
    const { environment } = captureScenarioEvidence(stack, 'refusal-flood', START);
    expect(environment.brokerRefusals?.total).toBe(attempts);
    expect(environment.brokerRefusals?.byRule).toEqual({ 'BROKER-AUTH': attempts });
    expect(environment.brokerRefusals?.first).toHaveLength(SHOWN_REFUSALS);
    for (const refusal of environment.brokerRefusals?.first ?? []) {
      expect(refusal.principal).toBe('(unauthenticated)');
      expect(refusal.claimedUsername).toMatch(/^"user-/);
      expect(JSON.stringify(refusal).length).toBeLessThan(600);
    }
    const trace = stack.trace.all();
    stack = undefined;
    const refused = trace.filter((e) => e.summary.startsWith('broker refused connect'));
    expect(refused).toHaveLength(KEPT_REFUSALS);
    // A refused login proved nothing: never put down under the party it claimed to be.
    for (const entry of refused) {
      expect(entry.from).toBe('(unauthenticated)');
      expect(entry.summary).toMatch(/an unauthenticated client claiming user name "user-/);
      expect(entry.summary.length).toBeLessThan(600);
    }
    const counted = trace.filter((e) => e.summary.startsWith('broker refused 400 attempts in all'));
    expect(counted).toHaveLength(1);
    expect(counted[0]?.summary).toContain(`the first ${KEPT_REFUSALS} are recorded, 380 more only counted`);
    // 400 × 16 KB of claims were sent; what is kept is a few KB.
    expect(JSON.stringify(trace).length).toBeLessThan(64 * 1024);
    // Not a timing figure: a bound two orders of magnitude under the 1 GB the flood once cost.
    expect(heapGrowthMb).toBeLessThan(64);
  });
});

describe('a broker that never answers', () => {
  let silent: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (silent === undefined ? resolve() : silent.close(() => resolve())));
  });

  // Three scenarios at 5 s of connect timeout each would be 15 s: the bound is one timeout.
  it('BROKER_UNREACHABLE - the suite stops at the first scenario that cannot connect; the rest are not run, with the cause', {
    timeout: 11_000,
  }, async () => {
    const held: Socket[] = [];
    silent = createServer((socket) => held.push(socket)); // accepts, never answers
    silent.on('close', () => {
      for (const s of held) s.destroy();
    });
    await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', () => resolve()));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const files = ['commissioning.yaml', 'replay.yaml', 'wrong-role.yaml'].map((f) =>
      join(PACKAGE_ROOT, 'scenarios', f),
    );
    const results = await runSuite({
      files,
      seed: 'silent-broker',
      brokerUrl: `mqtt://127.0.0.1:${port}`,
      reporters: [],
    });
    for (const s of held) s.destroy();
    expect(results.verdict).toBe('error');
    expect(results.scenarios.map((s) => s.verdict)).toEqual(['error', 'error', 'error']);
    expect(results.scenarios[0]?.message).toMatch(/cannot connect to the MQTT broker/);
    for (const rest of results.scenarios.slice(1)) {
      expect(rest.message).toMatch(/^not run: the broker is unreachable \(cannot connect/);
    }
  });
});
