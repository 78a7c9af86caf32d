import { existsSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';
import type { ScenarioResult } from '../../../harness/results/result-types.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { type RunOptions, runScenario } from '../../../harness/scenario/scenario-runner.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import {
  brokerClientId,
  deriveBrokerCredentials,
} from '../../../simulator/adapters/mqtt/broker-access-control.js';
import { type RunningMosquitto, startMosquitto } from '../../support/mosquitto.js';

/**
 * A run whose broker goes away, or whose party's session is taken over, ends with a verdict or a
 * harness error naming the cause — at once, not after a guard, never hanging. The bound is each
 * test's vitest timeout: well under the 10 s response guard and the 15 s settle guard, so a run
 * that only ended because a guard fired fails the test.
 */
const COMMISSIONING = join(PACKAGE_ROOT, 'scenarios', 'commissioning.yaml');
const BOUND_MS = 9_000;
const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].some((p) => existsSync(p));

let mosquitto: RunningMosquitto | undefined;
afterEach(async () => {
  await mosquitto?.stop();
  mosquitto = undefined;
});

/** Runs commissioning, doing `fault` to the run once step `afterStep` has ended (-1: before step 1). */
async function runWithFault(
  afterStep: number,
  fault: (stack: SimStack) => Promise<void>,
  options: Partial<RunOptions> = {},
): Promise<ScenarioResult & { traceKinds: string[]; traceSummaries: string[] }> {
  const scenario = await loadScenario(COMMISSIONING);
  let stack: SimStack | undefined;
  let faulted: Promise<void> | undefined;
  const result = await runScenario(scenario, {
    seed: 'run-faults',
    ...options,
    onStackStarted: async (started) => {
      stack = started;
      if (afterStep < 0) await fault(started);
    },
    onStep: (_id, step) => {
      if (step.index === afterStep && stack !== undefined) faulted = fault(stack);
    },
    onTrace: () => {},
  });
  await faulted;
  const trace = (stack as SimStack).trace.all();
  return { ...result, traceKinds: trace.map((e) => e.kind), traceSummaries: trace.map((e) => e.summary) };
}

describe('a run whose embedded broker is killed ends with a harness error naming it', () => {
  for (const afterStep of [-1, 0, 2, 6]) {
    it(`BROKER_CONNECTION_LOST - broker killed ${afterStep < 0 ? 'before step 1' : `after step ${afterStep + 1}`}: error verdict, cause traced`, {
      timeout: BOUND_MS,
    }, async () => {
      const result = await runWithFault(afterStep, (stack) => stack.killBroker());
      expect(result.verdict).toBe('error');
      expect(result.message).toMatch(/broker closed its connection/);
      expect(result.traceKinds).toContain('harnessFault');
      // The step that meets the fault ends in error (a state check already under way may
      // still pass: it needs no bus); every later step is skipped.
      const firstBad = result.steps.findIndex((s) => s.verdict !== 'passed');
      expect(firstBad).toBeGreaterThan(afterStep);
      expect(result.steps[firstBad]?.verdict).toBe('error');
      expect(result.steps.slice(firstBad + 1).every((s) => s.verdict === 'skipped')).toBe(true);
    });
  }
});

describe('sessions that cannot be hijacked on the embedded broker', () => {
  it("BROKER-SESSION-TAKEOVER - a login with supplier-a's own credentials and client id is refused, traced, and the run passes", {
    timeout: 20_000,
  }, async () => {
    let refusedWith: string | undefined;
    const result = await runWithFault(0, async (stack) => {
      // The public default seed's passwords are anybody's: the attacker has the right ones.
      const principal = { role: 'user' as const, eui: stack.user('supplier-a').eui };
      await mqtt
        .connectAsync(stack.brokerUrl, {
          protocolVersion: 4,
          reconnectPeriod: 0,
          clientId: brokerClientId(stack.topics.namespace, principal),
          ...deriveBrokerCredentials('run-faults', principal),
        })
        .then(
          (client) => client.endAsync(true),
          (err: Error) => {
            refusedWith = err.message;
          },
        );
    });
    expect(refusedWith).toMatch(/Identifier rejected/);
    expect(result.verdict).toBe('passed');
    const refusals = result.traceSummaries.filter((s) => s.includes('BROKER-SESSION-TAKEOVER'));
    expect(refusals).toHaveLength(1);
  });
});

describe.skipIf(!MOSQUITTO)(
  'a run on an external broker (mosquitto) that dies or lets a session be taken over',
  () => {
    for (const afterStep of [-1, 2, 6]) {
      it(`BROKER_CONNECTION_LOST - mosquitto killed ${afterStep < 0 ? 'before step 1' : `after step ${afterStep + 1}`}: error verdict naming the lost connection`, {
        timeout: BOUND_MS,
      }, async () => {
        mosquitto = await startMosquitto();
        const running = mosquitto;
        const result = await runWithFault(afterStep, () => running.kill(), { brokerUrl: running.url });
        expect(result.verdict).toBe('error');
        expect(result.message).toMatch(/broker closed its connection/);
        expect(result.traceKinds).toContain('harnessFault');
      });
    }

    // Bound: the 15 s settle guard, then a stop that does not wait on the frozen broker (2 s close guard).
    it('a broker that hangs (mosquitto frozen after step 3): the step ends in error at its guard and the run ends, nothing waits for ever', {
      timeout: 30_000,
    }, async () => {
      mosquitto = await startMosquitto();
      const running = mosquitto;
      const result = await runWithFault(2, async () => running.freeze(), { brokerUrl: running.url });
      expect(result.verdict).toBe('error');
      const firstBad = result.steps.findIndex((s) => s.verdict !== 'passed');
      expect(firstBad).toBeGreaterThan(2);
      expect(result.steps[firstBad]?.verdict).toBe('error');
      // A publish the broker never acknowledges holds the bus: the settle guard names it.
      expect(result.message).toMatch(
        /did not go quiet within \d+ ms: 1 published message never delivered \(trialsim\/v1\/[^)]+\): the broker may have stopped answering/,
      );
      expect(result.steps.slice(firstBad + 1).every((s) => s.verdict === 'skipped')).toBe(true);
    });

    it("a kicked party is detected: a login that takes over the DCC's client id fails the run with that cause", {
      timeout: BOUND_MS,
    }, async () => {
      mosquitto = await startMosquitto();
      const url = mosquitto.url;
      let intruder: mqtt.MqttClient | undefined;
      const result = await runWithFault(
        2,
        async (stack) => {
          // mosquitto does not bind client ids to users: any client may take the DCC's over.
          intruder = await mqtt.connectAsync(url, {
            protocolVersion: 4,
            reconnectPeriod: 0,
            clientId: brokerClientId(stack.topics.namespace, { role: 'dcc' }),
          });
        },
        { brokerUrl: url },
      );
      await intruder?.endAsync(true);
      expect(result.verdict).toBe('error');
      expect(result.message).toMatch(
        /-dcc: the broker closed its connection.*another login took over its client id/,
      );
    });
  },
);
