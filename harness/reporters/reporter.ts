import type { RunResults, ScenarioResult, StepResult } from '../results/result-types.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';

/**
 * How a reporter gives a file to the run's evidence bundle: by name, with its bytes, during this
 * run. The bundle signs exactly what was handed over (and what it writes itself), never whatever
 * happens to lie in the output folder, so nothing planted there can be signed into it.
 */
export interface EvidenceHandOver {
  /** `from` names the reporter, for the error when two hand over one name. */
  add(name: string, content: string | Uint8Array, from: string): void;
}

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
  /** `evidence` takes files into the bundle; reporters before the bundle reporter hand over. */
  onRunEnd?(results: RunResults, evidence: EvidenceHandOver): void | Promise<void>;
}
