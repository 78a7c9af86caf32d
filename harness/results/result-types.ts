/**
 * The results model (results.json, schema version 1). Everything here is a function of the
 * scenario, the seed and the software — except the fields under `timing`, which hold real-clock
 * figures and are kept apart so that two runs with one seed compare equal without them.
 */
export const RESULTS_SCHEMA_VERSION = 1;

export type Verdict = 'passed' | 'failed' | 'error' | 'skipped';

export interface StepResult {
  readonly index: number;
  readonly title: string;
  readonly kind: string;
  readonly requirements: readonly string[];
  readonly verdict: Verdict;
  /** Virtual time when the step started, ISO 8601. */
  readonly virtualTime: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly message?: string;
  /** Trace entries (by seq) that the step produced. */
  readonly traceRange: readonly [number, number];
  readonly timing: { readonly realMs: number };
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
  readonly timing: { readonly realMs: number };
}

export interface RunResults {
  readonly schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  readonly tool: { readonly name: 'trialsim'; readonly version: string };
  readonly seed: string;
  readonly verdict: Verdict;
  readonly summary: Readonly<Record<Verdict, number>>;
  readonly scenarios: readonly ScenarioResult[];
  readonly timing: { readonly startedAt: string; readonly realMs: number };
}

/** The overall verdict: any error beats any failure beats a pass; all skipped is skipped. */
export function overallVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('error')) return 'error';
  if (verdicts.includes('failed')) return 'failed';
  if (verdicts.length > 0 && verdicts.every((v) => v === 'skipped')) return 'skipped';
  return 'passed';
}
