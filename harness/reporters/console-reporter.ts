import type {
  RunResults,
  ScenarioResult,
  StepResult,
  TraceExcerpt,
  Verdict,
} from '../results/result-types.js';
import type { Reporter } from './reporter.js';
import { type Paint, plain } from './terminal-style.js';

const MARK_STYLE: Readonly<Record<Verdict, Parameters<Paint>[0]>> = {
  passed: 'green',
  failed: 'red',
  error: 'red',
  skipped: 'yellow',
};

const MARK: Readonly<Record<Verdict, string>> = {
  passed: 'PASS',
  failed: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIP',
};

/** Longest expected/actual shown on the console; results.json keeps them whole. */
const MAX_VALUE_CHARS = 400;

function shorten(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} chars)` : text;
}

export function formatTraceLine(e: TraceExcerpt): string {
  return `#${e.seq} ${e.at} ${e.from} → ${e.to}  ${e.summary}`;
}

/** The lines that explain a failed or errored step: what, expected against actual, the messages. */
export function describeFailure(result: ScenarioResult): string[] {
  const lines = [result.message ?? ''];
  const bad: StepResult | undefined = result.steps.find(
    (s) => s.verdict === 'failed' || s.verdict === 'error',
  );
  if (bad === undefined) return lines;
  if (bad.requirements.length > 0) lines.push(`requirement: ${bad.requirements.join(', ')}`);
  if (bad.expected !== undefined) lines.push(`expected: ${shorten(bad.expected)}`);
  if (bad.actual !== undefined) lines.push(`actual:   ${shorten(bad.actual)}`);
  if (bad.around !== undefined && bad.around.length > 0) {
    lines.push(
      `messages up to the failure (step ${bad.index + 1} made #${bad.traceRange[0]}..#${bad.traceRange[1]}):`,
    );
    for (const e of bad.around) lines.push(`  ${formatTraceLine(e)}`);
  }
  return lines;
}

/** Human progress on stdout: one line per scenario, details for what went wrong. */
export class ConsoleReporter implements Reporter {
  private done = 0;
  private total = 0;

  constructor(
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    /** Colour for the verdict marks; plain unless the CLI found a terminal that wants it. */
    private readonly paint: Paint = plain,
  ) {}

  private mark(verdict: Verdict, width = 0): string {
    return this.paint(MARK_STYLE[verdict], MARK[verdict].padEnd(width));
  }

  onRunStart(scenarioCount: number): void {
    this.total = scenarioCount;
    this.write(`trialsim: running ${scenarioCount} scenario${scenarioCount === 1 ? '' : 's'}`);
  }

  onScenarioEnd(result: ScenarioResult): void {
    this.done++;
    const seconds = (result.timing.realMs / 1000).toFixed(2);
    this.write(
      `[${this.done}/${this.total}] ${this.mark(result.verdict, 5)} ${result.id} — ${result.title} (${result.steps.length} steps, ${seconds} s)`,
    );
    if (result.verdict === 'skipped' && result.message !== undefined) this.write(`        ${result.message}`);
    if (result.verdict === 'failed' || result.verdict === 'error') {
      this.write(`        ${result.file}`);
      for (const line of describeFailure(result)) this.write(`        ${line}`);
    }
  }

  onRunEnd(results: RunResults): void {
    const s = results.summary;
    this.write(
      `${this.mark(results.verdict)}: ${s.passed} passed, ${s.failed} failed, ${s.error} errors, ${s.skipped} skipped`,
    );
  }
}
