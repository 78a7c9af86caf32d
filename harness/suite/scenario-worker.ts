import type { ScenarioResult, StepResult } from '../results/result-types.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import { loadScenario } from '../scenario/scenario-loader.js';
import { runScenario } from '../scenario/scenario-runner.js';
import { isBrokerUnreachable } from './broker-unreachable.js';

/** What the parent asks of a worker process: run one scenario file. */
export interface WorkerRequest {
  readonly type: 'run';
  readonly index: number;
  readonly file: string;
  readonly seed: string;
  readonly brokerUrl?: string;
  readonly usersOver?: 'mqtt' | 'duis';
}

/** What a worker reports back, tagged with the scenario's index in the run. */
export type WorkerReport =
  | { readonly type: 'step'; readonly index: number; readonly scenarioId: string; readonly step: StepResult }
  | { readonly type: 'progress'; readonly index: number; readonly scenarioId: string; readonly text: string }
  | { readonly type: 'trace'; readonly index: number; readonly trace: ScenarioTrace }
  | { readonly type: 'result'; readonly index: number; readonly result: ScenarioResult }
  | { readonly type: 'failed'; readonly index: number; readonly message: string }
  /** The scenario's stack could not reach the broker: the parent stops handing out scenarios. */
  | { readonly type: 'brokerUnreachable'; readonly index: number; readonly message: string };

function report(message: WorkerReport): void {
  // The parent may be gone (stopped by a signal): then there is nobody to tell, and no stack trace.
  if (process.connected) process.send?.(message, (err: Error | null) => void err);
}

// The parent owns the run: Ctrl-C reaches the whole process group, but the parent decides what
// stops (it SIGTERMs its workers). A worker whose parent has gone exits; `exit` hooks remove its
// broker's Unix socket.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => process.exit(143));
process.on('disconnect', () => process.exit(0));

/**
 * A scenario worker (`run --parallel`): a child process that runs the scenarios it is sent one at
 * a time, each on its own SimStack — so each with its own embedded broker on its own port.
 */
process.on('message', (request: WorkerRequest) => {
  void (async () => {
    try {
      const scenario = await loadScenario(request.file);
      const result = await runScenario(scenario, {
        seed: request.seed,
        ...(request.brokerUrl === undefined ? {} : { brokerUrl: request.brokerUrl }),
        ...(request.usersOver === undefined ? {} : { usersOver: request.usersOver }),
        onStep: (scenarioId, step) => report({ type: 'step', index: request.index, scenarioId, step }),
        onProgress: (scenarioId, text) =>
          report({ type: 'progress', index: request.index, scenarioId, text }),
        // An array for the IPC channel: the trace's entries may be an iterable over a spill file.
        onTrace: (trace) =>
          report({ type: 'trace', index: request.index, trace: { ...trace, entries: [...trace.entries] } }),
        onStackFailed: (err) => {
          if (isBrokerUnreachable(err))
            report({ type: 'brokerUnreachable', index: request.index, message: (err as Error).message });
        },
      });
      report({ type: 'result', index: request.index, result });
    } catch (err) {
      report({ type: 'failed', index: request.index, message: (err as Error).message });
    }
  })();
});
