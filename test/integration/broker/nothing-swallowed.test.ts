import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { runScenario } from '../../../harness/scenario/scenario-runner.js';
import { SimStack } from '../../../harness/stack/sim-stack.js';

/**
 * Nothing a party's harness does wrong is swallowed: a message handler that throws and a delayed
 * message whose publish fails each become a trace entry (kind `harnessFault`, with their code and
 * cause) and fail the run at once. The bound is each test's vitest timeout, under the 10 s
 * response guard, so a run that only ended because a guard fired fails the test.
 */
const COMMISSIONING = join(PACKAGE_ROOT, 'scenarios', 'commissioning.yaml');
const BOUND_MS = 9_000;

let stack: SimStack | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await stack?.stop();
  stack = undefined;
});

interface HarnessFaultDetail {
  readonly harnessFault?: { readonly kind: string; readonly code: string };
}

function harnessFaults(running: SimStack) {
  return running.trace
    .all()
    .filter((e) => e.kind === 'harnessFault')
    .map((e) => ({
      from: e.from,
      summary: e.summary,
      code: (e.detail as HarnessFaultDetail | undefined)?.harnessFault?.code,
    }));
}

describe('HANDLER_FAILED - an exception in a message handler reaches the trace and the results', () => {
  it('the DCC handler throwing on the 8.11 ends that step in error naming the cause; later steps are skipped', {
    timeout: BOUND_MS,
  }, async () => {
    const scenario = await loadScenario(COMMISSIONING);
    let started: SimStack | undefined;
    const result = await runScenario(scenario, {
      seed: 'nothing-swallowed',
      onStackStarted: async (s) => {
        started = s;
        const real = s.dcc.core.handleServiceRequest.bind(s.dcc.core);
        vi.spyOn(s.dcc.core, 'handleServiceRequest').mockImplementation((from, request, now) => {
          if (request.serviceReference === '8.11') throw new Error('injected fault in the DCC core');
          return real(from, request, now);
        });
      },
      onTrace: () => {},
    });
    expect(result.verdict).toBe('error');
    expect(result.message).toMatch(/its message handler failed: injected fault in the DCC core/);
    const failed = result.steps.findIndex((s) => s.verdict !== 'passed');
    expect(result.steps[failed]?.verdict).toBe('error');
    expect(result.steps[failed]?.message).toMatch(/HANDLER_FAILED|message handler failed/);
    expect(result.steps.slice(failed + 1).every((s) => s.verdict === 'skipped')).toBe(true);
    const faults = harnessFaults(started as SimStack);
    expect(faults).toHaveLength(1);
    // The 8.11 the DCC never answered is on record as ending without an outcome.
    expect(
      (started as SimStack).trace
        .all()
        .filter((e) => e.detail?.srWithoutOutcome !== undefined)
        .map((e) => e.summary),
    ).toEqual([
      expect.stringMatching(/\(SRV 8\.11\) had no outcome when the scenario ended \(no response\)$/),
    ]);
    expect(faults[0]).toMatchObject({
      code: 'HANDLER_FAILED',
      summary: expect.stringMatching(/-dcc: its message handler failed: injected fault in the DCC core/),
    });
  });
});

describe('DELAYED_PUBLISH_FAILED - a delayed message whose publish fails is traced with its link', () => {
  it("a 12.2 held on supplier-a -> dcc, then the broker gone: the message's failure is traced and the run has failed", {
    timeout: BOUND_MS,
  }, async () => {
    const scenario = await loadScenario(COMMISSIONING);
    stack = await SimStack.start({
      seed: 'nothing-swallowed',
      start: scenario.start,
      devices: scenario.devices,
      cpl: scenario.cpl,
    });
    const running = stack;
    running.faults.add({
      from: 'supplier-a',
      to: 'dcc',
      action: 'delay',
      delayMs: 60_000,
      count: 1,
      after: 0,
      probability: 1,
    });
    const esme = running.deviceSpec('esme1');
    running.user('supplier-a').request({ srv: '12.2', target: esme.eui, body: {} });
    await running.killBroker();
    // The connections' loss is a fault of the run as soon as the parties see their sockets close.
    await expect(running.harnessFaults.failure().promise).rejects.toThrow(/broker closed its connection/);
    await expect(running.settle()).rejects.toThrow(/broker closed its connection/);
    // The virtual network still delivers the held message when its time comes; its publish fails.
    await running.clock.advanceTo(scenario.start + 60_000, async () => {});
    // Its failure is handled in promise jobs of that same turn: one turn of the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const delayed = harnessFaults(running).filter((f) => f.code === 'DELAYED_PUBLISH_FAILED');
    expect(delayed).toEqual([
      {
        from: 'supplier-a',
        code: 'DELAYED_PUBLISH_FAILED',
        summary: expect.stringMatching(
          /^the message supplier-a -> dcc delayed to \d{4}-\d\d-\d\dT[\d:.]+Z was not delivered: .*broker closed its connection/,
        ),
      },
    ]);
  });
});

describe('every service request ends in a recorded outcome', () => {
  // The command to esme1 is lost on the WAN and virtual time never reaches the E21 deadline: the
  // 4.1.1 has its I99 only when the last step ends.
  const OPEN_REQUEST = `scenario: open-request
title: An SR still waiting for its outcome when the scenario ends
devices:
  - id: chf1
    model: acme-comms-hub
    eui: 00-12-4B-00-00-00-00-01
    preinstalled: true
  - id: esme1
    model: acme-trial-esme
    eui: 00-12-4B-00-00-00-01-01
    chf: chf1
    preinstalled: true
steps:
  - fault: { drop: dcc -> esme1, messages: all }
  - send: { as: supplier-a, srv: "4.1.1", device: esme1, wait: first }
    expect: { response: I99 }
`;

  it('an SR without an outcome at the end of its scenario is traced as such, with the responses it had', {
    timeout: BOUND_MS,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trialsim-open-request-'));
    try {
      const file = join(dir, 'open-request.yaml');
      await writeFile(file, OPEN_REQUEST);
      let started: SimStack | undefined;
      const result = await runScenario(await loadScenario(file), {
        seed: 'nothing-swallowed',
        onStackStarted: async (s) => {
          started = s;
        },
        onTrace: () => {},
      });
      expect(result.verdict, result.message).toBe('passed');
      const open = (started as SimStack).trace.all().filter((e) => e.detail?.srWithoutOutcome !== undefined);
      expect(open.map((e) => [e.from, e.to, e.summary])).toEqual([
        [
          'supplier-a',
          'harness',
          expect.stringMatching(/ \(SRV 4\.1\.1\) had no outcome when the scenario ended \(only I99\)$/),
        ],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
