import { afterEach, describe, expect, it } from 'vitest';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import type { LinkFaultAction } from '../../../simulator/adapters/faults/link-fault.js';
import type { FinalOutcome } from '../../../simulator/parties/dcc-user-agent.js';
import {
  allInvariants,
  counterSnapshot,
  countersMonotonic,
} from '../../support/reliability/system-invariants.js';
import { installEsme, outcomeCode, sendAs, startTrialWorld } from '../../support/reliability/trial-world.js';
import { TEST_TIMEOUT_MS } from '../../support/run-budget.js';

let stack: SimStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

function fault(
  s: SimStack,
  action: LinkFaultAction,
  from: string,
  to: string,
  extra: { delayMs?: number; count?: number } = {},
) {
  s.faults.add({
    from,
    to,
    action,
    count: extra.count ?? 1,
    after: 0,
    probability: 1,
    delayMs: extra.delayMs ?? 0,
  });
}

function code(outcome: FinalOutcome): string {
  return outcome.kind === 'response' ? outcome.response.responseCode : (outcome.alert.alertCode ?? 'alert');
}

/** Sends an SR and moves virtual time past the response deadline, so every SR has ended. */
async function sendAndFinish(
  s: SimStack,
  srv: string,
  device: string,
  sent: Set<string>,
): Promise<FinalOutcome> {
  const spec = s.deviceSpec(device);
  const handle = s.user('supplier-a').request({ srv, target: spec.eui });
  sent.add(handle.requestId);
  await s.settle();
  await s.advanceTo(s.clock.now() + 61_000);
  return handle.final;
}

/** The device-side executions of a command: responses the device sent, per command counter. */
function executions(s: SimStack, device: string): number {
  return s.device(device).outcomes.filter((o) => o === 'executed').length;
}

describe('message faults: no SR is lost or executed twice', () => {
  it(
    'FAULT-DUPLICATE - a duplicated service request is executed once; the copy is refused by the counter rule',
    async () => {
      stack = await startTrialWorld('fault-dup-request');
      const sent = new Set<string>();
      fault(stack, 'duplicate', 'supplier-a', 'dcc');
      const before = counterSnapshot(stack);
      const outcome = await sendAndFinish(stack, '8.9', 'chf1', sent);
      expect(code(outcome)).toBe('I0');
      expect(executions(stack, 'chf1')).toBe(1);
      const outcomes = stack.dcc.core.state.outcomes.filter((o) => sent.has(o.requestId));
      expect(outcomes.map((o) => [o.outcome, o.rule])).toEqual(
        expect.arrayContaining([
          ['E12', 'DUIS-REQUESTID-COUNTER'],
          ['I0', undefined],
        ]),
      );
      expect(allInvariants(stack, sent)).toEqual([]);
      expect(countersMonotonic(before, counterSnapshot(stack))).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'FAULT-DUPLICATE - a duplicated command is refused by the device anti-replay rule (0x8F3E)',
    async () => {
      stack = await startTrialWorld('fault-dup-command');
      const sent = new Set<string>();
      fault(stack, 'duplicate', 'dcc', 'chf1');
      const outcome = await sendAndFinish(stack, '8.9', 'chf1', sent);
      expect(code(outcome)).toBe('I0');
      expect(stack.device('chf1').outcomes).toEqual(['executed', '0x8F3E']);
      expect(allInvariants(stack, sent)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'FAULT-DUPLICATE - a duplicated device response is dropped by the DCC as unsolicited',
    async () => {
      stack = await startTrialWorld('fault-dup-response');
      const sent = new Set<string>();
      fault(stack, 'duplicate', 'chf1', 'dcc');
      const outcome = await sendAndFinish(stack, '8.9', 'chf1', sent);
      expect(code(outcome)).toBe('I0');
      expect(
        stack.trace.all().some((e) => e.kind === 'notice' && /unsolicited response/.test(e.summary)),
      ).toBe(true);
      expect(stack.dcc.core.state.outcomes.filter((o) => sent.has(o.requestId))).toHaveLength(1);
      expect(allInvariants(stack, sent)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  for (const [title, from, to] of [
    ['a dropped command', 'dcc', 'chf1'],
    ['a dropped device response', 'chf1', 'dcc'],
  ] as const) {
    it(
      `E21 - ${title} ends the SR in E21, once`,
      async () => {
        stack = await startTrialWorld(`fault-drop-${from}`);
        const sent = new Set<string>();
        fault(stack, 'drop', from, to);
        const outcome = await sendAndFinish(stack, '8.9', 'chf1', sent);
        expect(code(outcome)).toBe('E21');
        expect(
          stack.dcc.core.state.outcomes.filter((o) => sent.has(o.requestId)).map((o) => o.outcome),
        ).toEqual(['E21']);
        expect(allInvariants(stack, sent)).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );
  }

  it(
    'E21 - a response delayed past the deadline (reordered after E21) does not give the SR a second outcome',
    async () => {
      stack = await startTrialWorld('fault-late');
      const sent = new Set<string>();
      fault(stack, 'delay', 'chf1', 'dcc', { delayMs: 120_000 });
      const handle = stack.user('supplier-a').request({ srv: '8.9', target: stack.deviceSpec('chf1').eui });
      sent.add(handle.requestId);
      await stack.advanceTo(stack.clock.now() + 180_000);
      expect(code(await handle.final)).toBe('E21');
      expect(
        stack.dcc.core.state.outcomes.filter((o) => sent.has(o.requestId)).map((o) => o.outcome),
      ).toEqual(['E21']);
      expect(stack.trace.all().some((e) => /unsolicited response/.test(e.summary))).toBe(true);
      expect(allInvariants(stack, sent)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'FAULT-REORDER - requests reordered on the way to the DCC: each ends once; the overtaken one by the counter rule',
    async () => {
      stack = await startTrialWorld('fault-reorder');
      const sent = new Set<string>();
      fault(stack, 'delay', 'supplier-a', 'dcc', { delayMs: 1_000 });
      const chf = stack.deviceSpec('chf1').eui;
      const first = stack.user('supplier-a').request({ srv: '8.9', target: chf });
      const second = stack.user('supplier-a').request({ srv: '8.9', target: chf });
      sent.add(first.requestId).add(second.requestId);
      await stack.advanceTo(stack.clock.now() + 120_000);
      expect(code(await second.final)).toBe('I0');
      // DUIS: counters strictly increase, so the overtaken request arrives too late and is refused.
      const late = await first.final;
      expect(late.kind === 'response' && [late.response.responseCode, late.response.rule]).toEqual([
        'E12',
        'DUIS-REQUESTID-COUNTER',
      ]);
      expect(executions(stack, 'chf1')).toBe(1);
      expect(allInvariants(stack, sent)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '0x8F3D - a corrupted command is refused by the device and the SR ends in its alert',
    async () => {
      stack = await startTrialWorld('fault-corrupt');
      const sent = new Set<string>();
      fault(stack, 'corrupt', 'dcc', 'chf1');
      const outcome = await sendAndFinish(stack, '8.9', 'chf1', sent);
      expect(['E21', '0x8F3D', '0x8F1E']).toContain(code(outcome));
      expect(executions(stack, 'chf1')).toBe(0);
      expect(allInvariants(stack, sent)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('critical commands under duplication', () => {
  it(
    'FAULT-DUPLICATE - 8.1.1 with every CV 4 and CV 5 duplicated commissions once and holds one trial slot',
    async () => {
      stack = await startTrialWorld('fault-dup-critical', { maxDevices: 1 });
      await installEsme(stack, 'esme1');
      fault(stack, 'duplicate', 'supplier-a', 'dcc', { count: Number.POSITIVE_INFINITY });
      const handle = sendAs(stack, 'supplier-a', '8.1.1', 'esme1');
      const sent = new Set([handle.requestId]);
      await stack.settle();
      expect(outcomeCode(await handle.final)).toBe('I0');
      expect(executions(stack, 'esme1')).toBe(1);
      const trial = stack.dcc.core.state.trials.get('T-0001');
      expect([trial?.commissioned.length, trial?.reserved.size]).toEqual([1, 0]);
      const refusals = stack.dcc.core.state.outcomes.filter(
        (o) => o.requestId === handle.requestId && o.outcome !== 'I0',
      );
      expect(refusals.map((o) => o.rule).sort()).toEqual(['DUIS-CV5-NO-TRANSFORM', 'DUIS-REQUESTID-COUNTER']);
      expect(allInvariants(stack, sent)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('broker restart with persistent sessions (QoS 1, clean session off)', () => {
  const points = ['before the request leaves', 'after the I99', 'on a quiet bus'] as const;
  for (const point of points) {
    it(
      `FAULT-BROKER-RESTART - restarted ${point}: the SR still ends once, in I0`,
      async () => {
        stack = await startTrialWorld(`fault-restart-${points.indexOf(point)}`, { persistentSessions: true });
        const sent = new Set<string>();
        if (point === 'on a quiet bus') await stack.restartBroker();
        const handle = sendAs(stack, 'supplier-a', '8.9', 'chf1');
        sent.add(handle.requestId);
        if (point === 'before the request leaves') await stack.restartBroker();
        if (point === 'after the I99') {
          await handle.firstResponse;
          await stack.restartBroker();
        }
        await stack.settle();
        expect(outcomeCode(await handle.final)).toBe('I0');
        expect(executions(stack, 'chf1')).toBe(1);
        expect(
          stack.dcc.core.state.outcomes.filter((o) => sent.has(o.requestId)).map((o) => o.outcome),
        ).toEqual(['I0']);
        // And the stack keeps working after it.
        const again = sendAs(stack, 'supplier-a', '8.9', 'chf1');
        sent.add(again.requestId);
        expect(outcomeCode(await again.final)).toBe('I0');
        expect(allInvariants(stack, sent)).toEqual([]);
      },
      TEST_TIMEOUT_MS,
    );
  }

  it(
    'FAULT-BROKER-RESTART - a full commissioning across two restarts loses nothing',
    async () => {
      stack = await startTrialWorld('fault-restart-commission', { persistentSessions: true });
      const sent = new Set<string>();
      for (const srv of ['12.2', '8.11', '8.4', '8.1.1']) {
        const handle = sendAs(stack, 'supplier-a', srv, 'esme1');
        sent.add(handle.requestId);
        if (srv === '8.11' || srv === '8.1.1') await stack.restartBroker();
        expect(outcomeCode(await handle.final)).toBe('I0');
      }
      expect(stack.dcc.core.state.smi.get(stack.deviceSpec('esme1').eui)?.status).toBe('Commissioned');
      expect(allInvariants(stack, sent)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('device reboot', () => {
  it(
    'FAULT-REBOOT - a command sent while the device reboots ends in E21; counters survive the reboot',
    async () => {
      stack = await startTrialWorld('fault-reboot');
      const sent = new Set<string>();
      const first = sendAs(stack, 'supplier-a', '8.9', 'chf1');
      sent.add(first.requestId);
      expect(outcomeCode(await first.final)).toBe('I0');
      const before = counterSnapshot(stack);
      await stack.device('chf1').setPower(false);
      const during = sendAs(stack, 'supplier-a', '8.9', 'chf1');
      sent.add(during.requestId);
      await stack.settle();
      await stack.device('chf1').setPower(true);
      await stack.advanceTo(stack.clock.now() + 61_000);
      expect(outcomeCode(await during.final)).toBe('E21');
      expect(countersMonotonic(before, counterSnapshot(stack))).toEqual([]);
      // A replay of the pre-reboot command is still refused: the device kept its counters.
      const after = sendAs(stack, 'supplier-a', '8.9', 'chf1');
      sent.add(after.requestId);
      expect(outcomeCode(await after.final)).toBe('I0');
      expect(allInvariants(stack, sent)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('the trial cap under lost responses', () => {
  it(
    'TRIAL-CAP - a lost 8.1.1 response keeps its slot, so the cap holds on the devices too',
    async () => {
      stack = await startTrialWorld('fault-cap', { maxDevices: 1, esmeCount: 2 });
      await installEsme(stack, 'esme1');
      await installEsme(stack, 'esme2');
      fault(stack, 'drop', 'esme1', 'dcc');
      const lost = sendAs(stack, 'supplier-a', '8.1.1', 'esme1');
      const sent = new Set([lost.requestId]);
      await stack.settle();
      await stack.advanceTo(stack.clock.now() + 61_000);
      expect(outcomeCode(await lost.final)).toBe('E21');
      // The device did commission; the DCC cannot know, so it holds the slot.
      expect(stack.device('esme1').state.lifecycle).toBe('commissioned');
      const other = sendAs(stack, 'supplier-a', '8.1.1', 'esme2');
      sent.add(other.requestId);
      const refused = await other.final;
      expect(refused.kind === 'response' && [refused.response.responseCode, refused.response.rule]).toEqual([
        'E5',
        'TRIAL-CAP',
      ]);
      expect(stack.device('esme2').state.lifecycle).toBe('new');
      // The supplier retries: the device is commissioned already and says so; the SMI catches up.
      const retry = sendAs(stack, 'supplier-a', '8.1.1', 'esme1');
      sent.add(retry.requestId);
      expect(outcomeCode(await retry.final)).toBe('I0');
      expect(stack.dcc.core.state.smi.get(stack.deviceSpec('esme1').eui)?.status).toBe('Commissioned');
      expect(allInvariants(stack, sent)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('the trial window under lost commands', () => {
  it(
    'TRIAL-WINDOW - a slot held after E21 does not let 8.1.1 through once the window has closed',
    async () => {
      stack = await startTrialWorld('fault-window', { maxDevices: 1, durationMonths: 1 });
      await installEsme(stack, 'esme1');
      fault(stack, 'drop', 'dcc', 'esme1');
      const lost = sendAs(stack, 'supplier-a', '8.1.1', 'esme1');
      const sent = new Set([lost.requestId]);
      await stack.settle();
      await stack.advanceTo(stack.clock.now() + 61_000);
      expect(outcomeCode(await lost.final)).toBe('E21');
      expect(stack.device('esme1').state.lifecycle).toBe('new');
      await stack.advanceTo(stack.clock.now() + 40 * 86_400_000);
      const late = sendAs(stack, 'supplier-a', '8.1.1', 'esme1');
      sent.add(late.requestId);
      const refused = await late.final;
      expect(refused.kind === 'response' && [refused.response.responseCode, refused.response.rule]).toEqual([
        'E5',
        'TRIAL-WINDOW',
      ]);
      expect(stack.device('esme1').state.lifecycle).toBe('new');
      expect(allInvariants(stack, sent)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
