import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import {
  drain,
  type SystemModel,
  type SystemUnderTest,
  systemCommands,
} from '../../support/reliability/model-commands.js';
import { counterSnapshot } from '../../support/reliability/system-invariants.js';
import { startTrialWorld } from '../../support/reliability/trial-world.js';
import { budget, SOAK, TEST_TIMEOUT_MS } from '../../support/run-budget.js';

const DEVICES = ['chf1', 'esme1', 'esme2', 'esme3'];

/** What the runs did, for RELIABILITY.md and to show the runs reach the interesting states. */
const totals = {
  runs: 0,
  commands: 0,
  srs: 0,
  outcomes: new Map<string, number>(),
  commissioned: 0,
  capReached: 0,
  faultsHit: 0,
  /** Firmware paths reached: devices upgraded out of the trial, and back on trial firmware after 11.3. */
  upgraded: 0,
  onTrialFirmwareBy113: 0,
};

function tally(stack: SimStack, sut: SystemUnderTest): void {
  totals.runs++;
  totals.commands += sut.log.length;
  totals.srs += sut.sent.size;
  for (const o of stack.dcc.core.state.outcomes) {
    const key = o.rule?.startsWith('TRIAL-') ? `${o.outcome} ${o.rule}` : o.outcome;
    totals.outcomes.set(key, (totals.outcomes.get(key) ?? 0) + 1);
  }
  const trial = stack.dcc.core.state.trials.get('T-0001');
  totals.commissioned += trial?.commissioned.length ?? 0;
  if ((trial?.commissioned.length ?? 0) >= (trial?.policy.maxDevices ?? 0)) totals.capReached++;
  totals.upgraded += trial?.upgraded.size ?? 0;
  totals.onTrialFirmwareBy113 += [...stack.dcc.core.state.outcomes].filter(
    (o) => o.srv === '11.3' && o.outcome === 'I0' && o.trialId !== undefined,
  ).length;
  totals.faultsHit += stack.trace
    .all()
    .filter(
      (e) => e.kind === 'fault' && e.summary.startsWith('fault: ') && !e.summary.startsWith('fault: clock'),
    ).length;
}

afterAll(() => {
  const outcomes = [...totals.outcomes]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  console.log(
    `model-based: ${totals.runs} runs, ${totals.commands} commands, ${totals.srs} SRs, ${totals.faultsHit} faults hit, ` +
      `${totals.commissioned} trial devices commissioned, cap reached in ${totals.capReached} runs, ` +
      `${totals.upgraded} upgraded out of the trial, ${totals.onTrialFirmwareBy113} 11.3s ending on trial firmware; outcomes ${outcomes}`,
  );
});

describe('model-based: random SRs, CoS, OTA, time and faults against the whole system', () => {
  it(
    'INVARIANTS - trial cap and window, no trial firmware uncapped or unreported (OTA to the trial release, to certified firmware and back), one supplier, monotonic counters, SMI = devices, no lost SR',
    async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(systemCommands(DEVICES, SOAK ? 40 : 12), async (commands) => {
          // Cap 2 of 3 trial ESMEs and a one-month trial, so runs reach both limits.
          const stack = await startTrialWorld(`model-${run++}`, {
            esmeCount: 3,
            maxDevices: 2,
            durationMonths: 1,
            persistentSessions: true,
          });
          const sut: SystemUnderTest = {
            stack,
            sent: new Set(),
            unresolved: [],
            counters: counterSnapshot(stack),
            log: [],
          };
          try {
            await fc.asyncModelRun(
              () => ({ model: { devices: DEVICES } satisfies SystemModel, real: sut }),
              commands,
            );
            const problems = await drain(sut);
            tally(stack, sut);
            expect(problems, `run:\n  ${sut.log.join('\n  ')}`).toEqual([]);
          } finally {
            await stack.stop();
          }
        }),
        budget(4),
      );
    },
    TEST_TIMEOUT_MS,
  );
});
