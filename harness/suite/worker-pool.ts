import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ScenarioResult, StepResult } from '../results/result-types.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import type { LoadedScenario } from '../scenario/scenario-loader.js';
import type { WorkerReport, WorkerRequest } from './scenario-worker.js';

export interface PoolCallbacks {
  onScenarioStart(index: number): void;
  onStep(index: number, scenarioId: string, step: StepResult): void;
  onProgress(index: number, scenarioId: string, text: string): void;
  onTrace(index: number, trace: ScenarioTrace): void;
  onResult(index: number, result: ScenarioResult): void;
  /** After a result: false stops handing out further scenarios (--bail). */
  keepGoing(): boolean;
}

/** The worker module next to this one: .ts under tsx/vitest (loaded through tsx), .js when built. */
function workerModule(): { path: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(new URL(`./scenario-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  return { path, execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [] };
}

function errorResult(scenario: LoadedScenario, seed: string, message: string): ScenarioResult {
  const start = new Date(scenario.start).toISOString();
  return {
    id: scenario.definition.scenario,
    title: scenario.definition.title,
    file: scenario.file,
    tags: scenario.definition.tags,
    seed: scenario.definition.seed ?? seed,
    verdict: 'error',
    message,
    virtualStart: start,
    virtualEnd: start,
    steps: [],
    messageCount: 0,
    timing: { realMs: 0 },
  };
}

/**
 * Runs scenarios in `size` child processes, handing each the next scenario in order as it frees
 * up. Results come back tagged with their index; the caller puts them in order. A worker that
 * dies turns its scenario into an `error` result (the harness failed, not the system under test).
 */
export async function runInWorkers(
  scenarios: readonly LoadedScenario[],
  options: { size: number; seed: string; brokerUrl?: string; usersOver?: 'mqtt' | 'duis' },
  callbacks: PoolCallbacks,
): Promise<void> {
  const { path, execArgv } = workerModule();
  let next = 0;
  const workerCount = Math.min(options.size, scenarios.length);
  const runWorker = () =>
    new Promise<void>((resolve) => {
      const child: ChildProcess = fork(path, [], {
        execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      let current: number | undefined;
      const dispatch = () => {
        if (next >= scenarios.length || !callbacks.keepGoing()) {
          current = undefined;
          child.disconnect();
          return;
        }
        current = next++;
        const scenario = scenarios[current] as LoadedScenario;
        callbacks.onScenarioStart(current);
        const request: WorkerRequest = {
          type: 'run',
          index: current,
          file: scenario.file,
          seed: options.seed,
          ...(options.brokerUrl === undefined ? {} : { brokerUrl: options.brokerUrl }),
          ...(options.usersOver === undefined ? {} : { usersOver: options.usersOver }),
        };
        child.send(request);
      };
      child.on('message', (report: WorkerReport) => {
        switch (report.type) {
          case 'step':
            callbacks.onStep(report.index, report.scenarioId, report.step);
            return;
          case 'progress':
            callbacks.onProgress(report.index, report.scenarioId, report.text);
            return;
          case 'trace':
            callbacks.onTrace(report.index, report.trace);
            return;
          case 'result':
            callbacks.onResult(report.index, report.result);
            dispatch();
            return;
          case 'failed':
            callbacks.onResult(
              report.index,
              errorResult(scenarios[report.index] as LoadedScenario, options.seed, report.message),
            );
            dispatch();
            return;
        }
      });
      child.on('exit', (code, signal) => {
        if (current !== undefined) {
          const scenario = scenarios[current] as LoadedScenario;
          callbacks.onResult(
            current,
            errorResult(
              scenario,
              options.seed,
              `scenario worker exited (${signal ?? `code ${code}`}) mid-run`,
            ),
          );
          current = undefined;
        }
        resolve();
      });
      dispatch();
    });
  await Promise.all(Array.from({ length: workerCount }, runWorker));
  // Every worker gone with scenarios still waiting: they end as errors, never silently missing.
  for (; next < scenarios.length && callbacks.keepGoing(); next++) {
    callbacks.onResult(
      next,
      errorResult(
        scenarios[next] as LoadedScenario,
        options.seed,
        'not run: every scenario worker had exited',
      ),
    );
  }
}
