import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import type { Reporter } from '../reporters/reporter.js';
import {
  overallVerdict,
  RESULTS_SCHEMA_VERSION,
  type RunResults,
  type ScenarioResult,
  type Verdict,
} from '../results/result-types.js';
import { type LoadedScenario, loadScenario } from '../scenario/scenario-loader.js';
import { runScenario } from '../scenario/scenario-runner.js';

export interface SuiteOptions {
  readonly files: readonly string[];
  readonly seed: string;
  readonly brokerUrl?: string;
  /** Only scenarios whose id, title or tags contain this text. */
  readonly filter?: string;
  /** Stop after the first scenario that does not pass. */
  readonly bail?: boolean;
  readonly reporters: readonly Reporter[];
}

export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

function matchesFilter(scenario: LoadedScenario, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  const d = scenario.definition;
  const needle = filter.toLowerCase();
  return [d.scenario, d.title, ...d.tags].some((text) => text.toLowerCase().includes(needle));
}

/** Loads every file first (so a broken file stops the run before anything runs), then runs them. */
export async function runSuite(options: SuiteOptions): Promise<RunResults> {
  const startedAt = new Date();
  const realStart = performance.now();
  const loaded: LoadedScenario[] = [];
  for (const file of options.files) loaded.push(await loadScenario(file));
  const selected = loaded.filter((s) => matchesFilter(s, options.filter));
  for (const r of options.reporters) r.onRunStart?.(selected.length);
  const results: ScenarioResult[] = [];
  for (const scenario of selected) {
    for (const r of options.reporters)
      r.onScenarioStart?.(scenario.definition.scenario, scenario.definition.title);
    const result = await runScenario(scenario, {
      seed: options.seed,
      ...(options.brokerUrl === undefined ? {} : { brokerUrl: options.brokerUrl }),
      onStep: (id, step) => {
        for (const r of options.reporters) r.onStepEnd?.(id, step);
      },
    });
    results.push(result);
    for (const r of options.reporters) r.onScenarioEnd?.(result);
    if (options.bail && result.verdict !== 'passed') break;
  }
  const summary: Record<Verdict, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const r of results) summary[r.verdict]++;
  const run: RunResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'trialsim', version: TOOL_VERSION },
    seed: options.seed,
    verdict: overallVerdict(results.map((r) => r.verdict)),
    summary,
    scenarios: results,
    timing: { startedAt: startedAt.toISOString(), realMs: Math.round(performance.now() - realStart) },
  };
  for (const r of options.reporters) await r.onRunEnd?.(run);
  return run;
}
