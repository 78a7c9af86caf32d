import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from '../../harness/package-root.js';
import type { Reporter } from '../../harness/reporters/reporter.js';
import type { RunResults, ScenarioResult } from '../../harness/results/result-types.js';
import type { ScenarioTrace } from '../../harness/results/scenario-trace.js';
import { runSuite } from '../../harness/suite/run-suite.js';
import { shardOf } from '../../harness/suite/selection.js';

/**
 * The built-in scenarios that cannot give the same outcome with every User over DUIS, the first
 * step that differs and why. The test asserts exactly this list: a scenario that starts to agree
 * (or stops agreeing) fails it until the list is brought up to date.
 */
export const CANNOT_RUN_OVER_DUIS: Readonly<Record<string, { readonly step: string; readonly why: RegExp }>> =
  // None: every built-in scenario states its rules in what both interfaces carry. Keep the list
  // (and its check) so a scenario that stops agreeing fails until it is fixed or named here.
  {};

const outcome = (s: ScenarioResult) => s.steps.map((step) => `${step.verdict} ${step.title}`);

/** The built-in scenario files, in the suite's order. */
async function builtInScenarioFiles(): Promise<string[]> {
  return (await readdir(SCENARIOS_DIR))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(SCENARIOS_DIR, f));
}

/** The scenarios that get a test file of their own: each takes as long over DUIS as a share of the rest. */
export const OWN_FILE_SCENARIOS: readonly string[] = ['full-trial-100'];

const idOf = (file: string) => basename(file, '.yaml');

/**
 * The scenarios of one part of the suite-over-DUIS comparison: `{ scenario }` one of
 * OWN_FILE_SCENARIOS, or `{ share, of }` the share-th of `of` contiguous shares of the others
 * (as `run --shard` cuts a suite).
 */
export type SuitePart = { readonly scenario: string } | { readonly share: number; readonly of: number };

export async function partFiles(part: SuitePart): Promise<string[]> {
  const all = await builtInScenarioFiles();
  if ('scenario' in part) return all.filter((f) => idOf(f) === part.scenario);
  const rest = all.filter((f) => !OWN_FILE_SCENARIOS.includes(idOf(f)));
  return shardOf(rest, { index: part.share, count: part.of });
}

/**
 * The suite-over-DUIS comparison for one part of the built-in suite. Why parts: the whole suite
 * twice (MQTT, then DUIS with every message XSD-checked) is minutes in one file, and vitest runs
 * one file in one worker; in parts, the files run side by side and every scenario is still
 * compared exactly once (suite-over-duis-parts.test.ts checks the parts cover the suite).
 */
export function describeSuiteOverDuisPart(part: SuitePart): void {
  const label = 'scenario' in part ? part.scenario : `share ${part.share}/${part.of}`;
  let files: string[];
  let overMqtt: RunResults;
  let overDuis: RunResults;
  const duisTraces = new Map<string, ScenarioTrace>();

  beforeAll(async () => {
    files = await partFiles(part);
    const collect: Reporter = { onScenarioTrace: (trace) => duisTraces.set(trace.scenario, trace) };
    overMqtt = await runSuite({ files, seed: 'suite-over-duis', reporters: [] });
    overDuis = await runSuite({ files, seed: 'suite-over-duis', usersOver: 'duis', reporters: [collect] });
  }, 900_000);

  describe(`the built-in suite (${label}) with every DCC User over DUIS (run --users-over duis)`, () => {
    it('every scenario of the share ran both ways and passed over MQTT', () => {
      expect(files.length).toBeGreaterThanOrEqual(1);
      expect(overMqtt.scenarios.map((s) => s.id)).toEqual(overDuis.scenarios.map((s) => s.id));
      expect(overMqtt.scenarios).toHaveLength(files.length);
      expect(overMqtt.scenarios.filter((s) => s.verdict !== 'passed').map((s) => s.id)).toEqual([]);
    });

    it('each scenario has the same outcome, step by step, over DUIS as over MQTT, except exactly the documented ones', () => {
      const differing: Record<string, { step: string; message: string }> = {};
      for (const duis of overDuis.scenarios) {
        const mqtt = overMqtt.scenarios.find((s) => s.id === duis.id) as ScenarioResult;
        if (duis.verdict === mqtt.verdict && outcome(duis).join('\n') === outcome(mqtt).join('\n')) continue;
        const first = duis.steps.find((step, i) => step.verdict !== mqtt.steps[i]?.verdict);
        differing[duis.id] = { step: first?.title ?? '(no step)', message: first?.message ?? duis.verdict };
      }
      const ids = new Set(overDuis.scenarios.map((s) => s.id));
      const documented = Object.entries(CANNOT_RUN_OVER_DUIS).filter(([id]) => ids.has(id));
      expect(Object.keys(differing).sort()).toEqual(documented.map(([id]) => id).sort());
      for (const [id, { step, why }] of documented) {
        expect(differing[id]?.step, id).toBe(step);
        expect(differing[id]?.message, id).toMatch(why);
      }
    });

    it('over DUIS every User request went over HTTP and every callback was accepted: no User SR reached the DCC another way', () => {
      const problems: string[] = [];
      for (const [id, trace] of duisTraces) {
        const overHttp = new Set(
          [...trace.entries].filter((e) => e.kind === 'duisRequest').map((e) => e.summary.split(' ').at(-1)),
        );
        const users = new Set(
          [...trace.entries].filter((e) => e.kind === 'duisRequest').map((e) => String(e.from).toUpperCase()),
        );
        for (const e of trace.entries) {
          if (e.kind !== 'serviceRequest' || !users.has(String(e.from).toUpperCase())) continue;
          const requestId = e.summary.split(' ').at(-1);
          if (!overHttp.has(requestId)) problems.push(`${id}: ${e.summary} not over DUIS`);
        }
        for (const e of trace.entries)
          if (e.kind === 'duisCallback' && !e.summary.includes('(accepted)'))
            problems.push(`${id}: ${e.summary}`);
      }
      expect(problems).toEqual([]);
      // The DUIS path was taken at all: at least one DUIS POST a scenario, on average (the whole
      // suite sends over 300).
      const requests = [...duisTraces.values()].flatMap((t) =>
        [...t.entries].filter((e) => e.kind === 'duisRequest'),
      );
      expect(requests.length).toBeGreaterThanOrEqual(files.length);
    });
  });
}

/** For the parts' own check: the built-in scenario files and each part's. */
export async function partsOfTheSuite(
  parts: readonly SuitePart[],
): Promise<{ all: string[]; files: string[][] }> {
  return { all: await builtInScenarioFiles(), files: await Promise.all(parts.map(partFiles)) };
}
