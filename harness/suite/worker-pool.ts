import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { removeSocketFilesOf } from '../../simulator/adapters/index.js';
import type { ScenarioResult, StepResult } from '../results/result-types.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import type { LoadedScenario } from '../scenario/scenario-loader.js';
import { dispatchOrder } from './dispatch-order.js';
import type { WorkerReport, WorkerRequest } from './scenario-worker.js';

export interface PoolCallbacks {
  onScenarioStart(index: number): void;
  onStep(index: number, scenarioId: string, step: StepResult): void;
  onProgress(index: number, scenarioId: string, text: string): void;
  onTrace(index: number, trace: ScenarioTrace): void;
  onResult(index: number, result: ScenarioResult): void;
  /** Whether scenario `index` may still be handed out: false for those after a --bail stop. */
  keepGoing(index: number): boolean;
}

/** The worker module next to this one: .ts under tsx/vitest (loaded through tsx), .js when built. */
function workerModule(): { path: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(new URL(`./scenario-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  return { path, execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [] };
}

/** The `error` result of a scenario the harness could not run (or finish), with why. */
export function notRunResult(scenario: LoadedScenario, seed: string, message: string): ScenarioResult {
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
 * Workers alive in this process. A parent that exits for any reason (a signal, an error) takes
 * them with it: the `exit` hook SIGTERMs each and removes its brokers' socket files, and a worker
 * ends on SIGTERM or a lost channel.
 */
const liveWorkers = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  liveWorkers.add(child);
  child.once('exit', () => liveWorkers.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const worker of liveWorkers) {
      worker.kill('SIGTERM');
      // This process ends now, before the worker has run its own exit hooks: its brokers' socket
      // files go with the run, not whenever the worker gets round to it.
      if (worker.pid !== undefined) removeSocketFilesOf(worker.pid);
    }
  });
}

/**
 * Runs scenarios in `size` child processes, handing each the next scenario (dispatch-order.ts:
 * the biggest first) as it frees up. Results come back tagged with their index; the caller puts them in order. A worker that
 * dies turns its scenario into an `error` result (the harness failed, not the system under test).
 * A stack that cannot reach the broker stops the hand-out: the rest end as `error`, not run, with
 * that cause, instead of each waiting out its own connect timeout.
 */
export async function runInWorkers(
  scenarios: readonly LoadedScenario[],
  options: { size: number; seed: string; brokerUrl?: string; usersOver?: 'mqtt' | 'duis' },
  callbacks: PoolCallbacks,
): Promise<void> {
  const { path, execArgv } = workerModule();
  const pending = dispatchOrder(scenarios);
  let unreachable: string | undefined;
  const workerCount = Math.min(options.size, scenarios.length);
  /** The next scenario to hand out, taken off `pending`; undefined when none may run. */
  const takeNext = (): number | undefined => {
    if (unreachable !== undefined) return undefined;
    const at = pending.findIndex((index) => callbacks.keepGoing(index));
    return at < 0 ? undefined : pending.splice(at, 1)[0];
  };
  const runWorker = () =>
    new Promise<void>((resolve) => {
      const child: ChildProcess = fork(path, [], {
        execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      track(child);
      let current: number | undefined;
      const lose = (why: string) => {
        if (current !== undefined) {
          const scenario = scenarios[current] as LoadedScenario;
          callbacks.onResult(current, notRunResult(scenario, options.seed, why));
          current = undefined;
        }
      };
      // An IPC channel that breaks (the worker died as it was sent something) is that worker lost.
      child.on('error', (err) => {
        lose(`scenario worker lost mid-run: ${err.message}`);
        child.kill('SIGTERM');
      });
      const dispatch = () => {
        current = takeNext();
        if (current === undefined) {
          if (child.connected) child.disconnect();
          return;
        }
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
        child.send(request, (err: Error | null) => {
          if (err !== null) {
            lose(`scenario worker lost before it could start: ${err.message}`);
            child.kill('SIGTERM');
          }
        });
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
          case 'brokerUnreachable':
            unreachable ??= report.message;
            return;
          case 'result':
            current = undefined;
            callbacks.onResult(report.index, report.result);
            dispatch();
            return;
          case 'failed':
            current = undefined;
            callbacks.onResult(
              report.index,
              notRunResult(scenarios[report.index] as LoadedScenario, options.seed, report.message),
            );
            dispatch();
            return;
        }
      });
      child.on('exit', (code, signal) => {
        lose(`scenario worker exited (${signal ?? `code ${code}`}) mid-run`);
        resolve();
      });
      dispatch();
    });
  await Promise.all(Array.from({ length: workerCount }, runWorker));
  // Every worker gone with scenarios still waiting: they end as errors, never silently missing
  // (those a --bail stop holds back are the caller's to report).
  for (const index of pending.sort((a, b) => a - b)) {
    if (unreachable === undefined && !callbacks.keepGoing(index)) continue;
    callbacks.onResult(
      index,
      notRunResult(
        scenarios[index] as LoadedScenario,
        options.seed,
        unreachable === undefined
          ? 'not run: every scenario worker had exited'
          : `not run: the broker is unreachable (${unreachable})`,
      ),
    );
  }
}
