import { TrialsimError } from '../../simulator/errors.js';
import { HandedOverFiles } from '../evidence/evidence-hand-over.js';
import { TOOL_VERSION } from '../package-root.js';
import type { Reporter } from '../reporters/reporter.js';
import {
  overallVerdict,
  RESULTS_SCHEMA_VERSION,
  type RunResults,
  type ScenarioResult,
  type Verdict,
} from '../results/result-types.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import { duplicateScenarioIds } from '../scenario/scenario-ids.js';
import { type LoadedScenario, loadScenario } from '../scenario/scenario-loader.js';
import { type RunOptions, runScenario } from '../scenario/scenario-runner.js';
import { isBrokerUnreachable } from './broker-unreachable.js';
import { type SelectionOptions, selectScenarios } from './selection.js';
import { notRunResult, runInWorkers } from './worker-pool.js';

export interface SuiteOptions extends SelectionOptions {
  readonly files: readonly string[];
  readonly seed: string;
  readonly brokerUrl?: string;
  /** Stop after the first scenario that does not pass. */
  readonly bail?: boolean;
  readonly reporters: readonly Reporter[];
  /** Devices under test (`--dut`): not simulated; `onStackStarted` attaches them (harness/dut). */
  readonly externalDevices?: RunOptions['externalDevices'];
  readonly onStackStarted?: RunOptions['onStackStarted'];
  /** `duis`: every DCC User over DUIS/HTTP (`run --users-over duis`). */
  readonly usersOver?: RunOptions['usersOver'];
  /** Run scenarios in this many worker processes (each with its own broker); 1 = in this process. */
  readonly parallel?: number;
}

/** Loads every file first (so a broken file stops the run before anything runs), then runs them. */
export async function runSuite(options: SuiteOptions): Promise<RunResults> {
  const startedAt = new Date();
  const realStart = performance.now();
  const loaded: LoadedScenario[] = [];
  for (const file of options.files) loaded.push(await loadScenario(file));
  const duplicate = duplicateScenarioIds(loaded)[0];
  if (duplicate !== undefined) throw duplicate;
  const selected = selectScenarios(loaded, options);
  for (const r of options.reporters) r.onRunStart?.(selected.length);
  const results: ScenarioResult[] = [];
  const parallel = options.parallel ?? 1;
  if (parallel > 1 && selected.length > 1) {
    results.push(...(await runParallel(selected, parallel, options)));
  } else
    for (const [index, scenario] of selected.entries()) {
      for (const r of options.reporters)
        r.onScenarioStart?.(scenario.definition.scenario, scenario.definition.title);
      let unreachable: string | undefined;
      const result = await runScenario(scenario, {
        seed: options.seed,
        onStackFailed: (err) => {
          if (isBrokerUnreachable(err)) unreachable = (err as Error).message;
        },
        ...(options.brokerUrl === undefined ? {} : { brokerUrl: options.brokerUrl }),
        ...(options.externalDevices === undefined ? {} : { externalDevices: options.externalDevices }),
        ...(options.onStackStarted === undefined ? {} : { onStackStarted: options.onStackStarted }),
        ...(options.usersOver === undefined ? {} : { usersOver: options.usersOver }),
        onStep: (id, step) => {
          for (const r of options.reporters) r.onStepEnd?.(id, step);
        },
        onProgress: (id, text) => {
          for (const r of options.reporters) r.onStepProgress?.(id, text);
        },
        onTrace: (trace) => {
          for (const r of options.reporters) r.onScenarioTrace?.(trace);
        },
      });
      results.push(result);
      for (const r of options.reporters) r.onScenarioEnd?.(result);
      if (unreachable !== undefined) {
        for (const rest of selected.slice(index + 1)) {
          const notRun = notRunResult(
            rest,
            options.seed,
            `not run: the broker is unreachable (${unreachable})`,
          );
          results.push(notRun);
          for (const r of options.reporters) r.onScenarioEnd?.(notRun);
        }
        break;
      }
      if (options.bail && result.verdict !== 'passed') {
        results.push(...bailedRest(selected.slice(index + 1), result, options));
        break;
      }
    }
  return finishRun(results, options, startedAt, realStart);
}

async function finishRun(
  results: readonly ScenarioResult[],
  options: SuiteOptions,
  startedAt: Date,
  realStart: number,
): Promise<RunResults> {
  const summary: Record<Verdict, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
  for (const r of results) summary[r.verdict]++;
  const run: RunResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'trialsim', version: TOOL_VERSION },
    seed: options.seed,
    ...(options.shard === undefined
      ? {}
      : { shard: { index: options.shard.index, count: options.shard.count } }),
    verdict: overallVerdict(results.map((r) => r.verdict)),
    summary,
    scenarios: results,
    timing: { startedAt: startedAt.toISOString(), realMs: Math.round(performance.now() - realStart) },
  };
  // One hand-over per run: reporters give their files to the evidence bundle, registered last.
  const evidence = new HandedOverFiles();
  for (const r of options.reporters) await r.onRunEnd?.(run, evidence);
  return run;
}

/**
 * `--parallel n`: scenarios run in n worker processes, but reporters hear about them in file
 * order (a finished scenario waits for the ones before it), so output, results.json and the
 * evidence are the same as a sequential run's apart from timings.
 */
async function runParallel(
  selected: readonly LoadedScenario[],
  size: number,
  options: SuiteOptions,
): Promise<ScenarioResult[]> {
  if (options.externalDevices !== undefined || options.onStackStarted !== undefined) {
    throw new TrialsimError('USAGE', '--parallel cannot be combined with a device under test (--dut)');
  }
  const done = new Map<number, { result: ScenarioResult; traces: ScenarioTrace[] }>();
  const traces = new Map<number, ScenarioTrace[]>();
  const emitted: ScenarioResult[] = [];
  let firstBad: number | undefined;
  const flush = () => {
    for (;;) {
      const index = emitted.length;
      const entry = done.get(index);
      if (entry === undefined || (firstBad !== undefined && index > firstBad)) return;
      for (const trace of entry.traces) for (const r of options.reporters) r.onScenarioTrace?.(trace);
      for (const r of options.reporters) r.onScenarioEnd?.(entry.result);
      emitted.push(entry.result);
    }
  };
  await runInWorkers(
    selected,
    {
      size,
      seed: options.seed,
      ...(options.brokerUrl === undefined ? {} : { brokerUrl: options.brokerUrl }),
      ...(options.usersOver === undefined ? {} : { usersOver: options.usersOver }),
    },
    {
      onScenarioStart(index) {
        const d = (selected[index] as LoadedScenario).definition;
        for (const r of options.reporters) r.onScenarioStart?.(d.scenario, d.title);
      },
      onStep(_index, scenarioId, step) {
        for (const r of options.reporters) r.onStepEnd?.(scenarioId, step);
      },
      onProgress(_index, scenarioId, text) {
        for (const r of options.reporters) r.onStepProgress?.(scenarioId, text);
      },
      onTrace(index, trace) {
        traces.set(index, [...(traces.get(index) ?? []), trace]);
      },
      onResult(index, result) {
        done.set(index, { result, traces: traces.get(index) ?? [] });
        if (options.bail && result.verdict !== 'passed' && (firstBad === undefined || index < firstBad))
          firstBad = index;
        flush();
      },
      // --bail: every scenario before the first that did not pass still runs, as in file order.
      keepGoing: (index) => firstBad === undefined || index < firstBad,
    },
  );
  flush();
  if (firstBad !== undefined)
    emitted.push(
      ...bailedRest(selected.slice(emitted.length), done.get(firstBad)?.result as ScenarioResult, options),
    );
  return emitted;
}

/**
 * `--bail`: the scenarios after the first that did not pass are reported as not run (skipped,
 * saying why), so the report, JUnit and the evidence list the whole selection.
 */
function bailedRest(
  rest: readonly LoadedScenario[],
  stoppedBy: ScenarioResult,
  options: SuiteOptions,
): ScenarioResult[] {
  return rest.map((scenario) => {
    const result: ScenarioResult = {
      ...notRunResult(
        scenario,
        options.seed,
        `not run: --bail stopped the run after ${stoppedBy.id} ${stoppedBy.verdict}`,
      ),
      verdict: 'skipped',
    };
    for (const r of options.reporters) r.onScenarioEnd?.(result);
    return result;
  });
}
