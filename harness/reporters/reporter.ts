import type { ScenarioTrace } from '../evidence/trace-chain.js';
import type { RunResults, ScenarioResult, StepResult } from '../results/result-types.js';

/** Lifecycle hooks a reporter may implement (after vitest's Reporter): all optional. */
export interface Reporter {
  onRunStart?(scenarioCount: number): void;
  onScenarioStart?(id: string, title: string): void;
  onStepEnd?(scenarioId: string, step: StepResult): void;
  /** Progress inside a long step (a fleet step names the device it is on). */
  onStepProgress?(scenarioId: string, text: string): void;
  onScenarioEnd?(result: ScenarioResult): void;
  /** The scenario's message trace, decoded (for the evidence bundle's hash-chained trace). */
  onScenarioTrace?(trace: ScenarioTrace): void;
  onRunEnd?(results: RunResults): void | Promise<void>;
}
