import type {
  ScenarioEnvironment,
  ScenarioReports,
  SmiTimeline,
  TestedDevice,
} from './scenario-evidence-types.js';

/**
 * The results model (results.json, schema version 3; documented in
 * harness/evidence/RESULTS-SCHEMA.md). Everything here is a function of the
 * scenario, the seed and the software — except the fields under `timing`, which hold real-clock
 * figures and are kept apart so that two runs with one seed compare equal without them.
 */
export const RESULTS_SCHEMA_VERSION = 3;

export type Verdict = 'passed' | 'failed' | 'error' | 'skipped';

export interface StepResult {
  readonly index: number;
  /** The 1-based line of the step in the scenario file (v3). */
  readonly line?: number;
  readonly title: string;
  readonly kind: string;
  readonly requirements: readonly string[];
  readonly verdict: Verdict;
  /** Virtual time when the step started, ISO 8601. */
  readonly virtualTime: string;
  /** Virtual time when the step ended, ISO 8601 (v2). */
  readonly virtualEnd?: string;
  /** The step's `expect` as the scenario wrote it (v2). */
  readonly expectation?: unknown;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly message?: string;
  /** Trace entries (by seq) that the step produced. */
  readonly traceRange: readonly [number, number];
  /** For a failed or errored step: the messages around where it went wrong (the trace's last ones). */
  readonly around?: readonly TraceExcerpt[];
  readonly timing: { readonly realMs: number };
}

/** One message of the trace, as shown next to a failure. */
export interface TraceExcerpt {
  readonly seq: number;
  /** Virtual time, ISO 8601. */
  readonly at: string;
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  readonly summary: string;
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly tags: readonly string[];
  readonly seed: string;
  readonly verdict: Verdict;
  readonly message?: string;
  readonly virtualStart: string;
  readonly virtualEnd: string;
  readonly steps: readonly StepResult[];
  readonly messageCount: number;
  /** Fixture files the scenario read, relative to the working folder (v2). */
  readonly fixtures?: readonly string[];
  /** SSC/OPR report figures at the virtual end (v2). */
  readonly reports?: ScenarioReports;
  /** Devices by SMI status over virtual time (v2). */
  readonly timeline?: SmiTimeline;
  /** Every device of the scenario: simulated or under test, model and firmware (v3). */
  readonly devices?: readonly TestedDevice[];
  /** Broker, device wire and DCC User interface the scenario ran on (v3). */
  readonly environment?: ScenarioEnvironment;
  readonly timing: { readonly realMs: number };
}

export interface RunResults {
  readonly schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  readonly tool: { readonly name: 'trialsim'; readonly version: string };
  /** Deterministic from the seed and the inputs (v2; set by the evidence bundle). */
  readonly runId?: string;
  readonly seed: string;
  /** A `run --shard i/n`: which share of the selection this run was (v3, optional). */
  readonly shard?: Shard;
  /** A `trialsim merge`: the shard bundles it combined, in shard order (v3, optional). */
  readonly mergedFrom?: readonly { readonly shard: Shard; readonly runId: string }[];
  readonly verdict: Verdict;
  readonly summary: Readonly<Record<Verdict, number>>;
  readonly scenarios: readonly ScenarioResult[];
  readonly timing: { readonly startedAt: string; readonly realMs: number };
}

/** The i-th of n shares of a suite (1-based), as `run --shard i/n` takes it. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** The overall verdict: any error beats any failure beats a pass; all skipped is skipped. */
export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('error')) return 'error';
  if (verdicts.includes('failed')) return 'failed';
  if (verdicts.length > 0 && verdicts.every((v) => v === 'skipped')) return 'skipped';
  return 'passed';
}
