import { canonicalJson } from '../results/canonical-json.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import { sha256Hex } from './digest.js';

/**
 * The message trace of a run as a hash chain (trace.jsonl): one canonical-JSON line per message,
 * in order, scenario after scenario. Each line carries `prev`, the SHA-256 of the previous line's
 * bytes (the first carries GENESIS), and `index`, its 1-based position in the file. Editing a line
 * changes its hash and breaks the next line's `prev`; removing one breaks `index` and `prev`;
 * cutting the file short is caught by the entry count and head hash the signed manifest records.
 */
export const TRACE_FILE = 'trace.jsonl';
export const GENESIS = '0'.repeat(64);

/** What the manifest records about the chain. */
export interface TraceChainHead {
  readonly file: string;
  readonly entries: number;
  /** SHA-256 of the last line (GENESIS for an empty trace). */
  readonly head: string;
}

export interface ChainedTraceLine {
  readonly index: number;
  readonly prev: string;
  readonly scenario: string;
  readonly seq: number;
  /** Virtual time, ISO 8601 (never the real clock: the trace must reproduce byte for byte). */
  readonly at: string;
  readonly from: string;
  readonly fromName: string;
  readonly to: string;
  readonly toName: string;
  readonly kind: string;
  readonly summary: string;
  readonly detail?: unknown;
}

/**
 * What the report draws from a chained line: everything but its place in the chain. The bundle
 * keeps these while it streams trace.jsonl (their strings are the trace's own), never the text.
 */
export type ReportTraceLine = Omit<ChainedTraceLine, 'index' | 'prev'>;

/** One line of the chain: its canonical text (without the newline) and what the report reads of it. */
export interface ChainLine {
  readonly text: string;
  readonly line: ReportTraceLine;
}

/**
 * The chain line by line, scenario after scenario; the generator's return value is the head. A
 * generator, so the bundle can write and hash a trace of millions of lines without ever holding
 * the file's text (bundle-trace-file.ts).
 */
export function* chainTraceLines(traces: readonly ScenarioTrace[]): Generator<ChainLine, TraceChainHead> {
  let index = 0;
  let prev = GENESIS;
  for (const trace of traces) {
    for (const entry of trace.entries) {
      index++;
      const line: ReportTraceLine = {
        scenario: trace.scenario,
        seq: entry.seq,
        at: new Date(entry.at).toISOString(),
        from: entry.from,
        fromName: trace.names[entry.from] ?? entry.from,
        to: entry.to,
        toName: trace.names[entry.to] ?? entry.to,
        kind: entry.kind,
        summary: entry.summary,
        ...(entry.detail === undefined ? {} : { detail: entry.detail }),
      };
      // canonicalJson orders the keys, so index and prev land where they always have.
      const text = canonicalJson({ index, prev, ...line } satisfies ChainedTraceLine);
      yield { text, line };
      prev = sha256Hex(text);
    }
  }
  return { file: TRACE_FILE, entries: index, head: prev };
}

/** Parses trace.jsonl without checking it (for the report). Unparseable lines are skipped. */
export function readTraceLines(text: string): ChainedTraceLine[] {
  const out: ChainedTraceLine[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as ChainedTraceLine);
    } catch {
      // The report shows what it can; `trialsim verify` is where a broken line is reported.
    }
  }
  return out;
}

/** Cap on reported chain problems: after a few, the rest are consequences of the first. */
const MAX_PROBLEMS = 5;

/**
 * Checks the chain against the head the manifest recorded. Returns problems naming the entry
 * (its 1-based index) that was altered, removed or is missing; empty when the chain is intact.
 */
export function checkTraceChain(text: string, recorded: TraceChainHead): string[] {
  const file = recorded.file;
  const problems: string[] = [];
  const add = (problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(`${file}: ${problem}`);
  };
  if (text.length > 0 && !text.endsWith('\n')) add('the last line is incomplete (the file was cut)');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let prevHash = GENESIS;
  for (const [i, line] of lines.entries()) {
    const position = i + 1;
    let parsed: Partial<ChainedTraceLine>;
    try {
      parsed = JSON.parse(line) as Partial<ChainedTraceLine>;
    } catch {
      add(`entry ${position} is not valid JSON (altered)`);
      prevHash = sha256Hex(line);
      continue;
    }
    if (parsed.index !== position) {
      if (typeof parsed.index === 'number' && parsed.index > position) {
        const first = position;
        const last = parsed.index - 1;
        add(
          first === last
            ? `entry ${first} was removed (line ${position} holds entry ${parsed.index})`
            : `entries ${first}–${last} were removed (line ${position} holds entry ${parsed.index})`,
        );
      } else {
        add(`line ${position} holds entry ${String(parsed.index)}: entries were reordered or duplicated`);
      }
    } else if (parsed.prev !== prevHash) {
      add(
        position === 1
          ? 'entry 1 does not start the chain (its prev is not the genesis hash): altered'
          : `entry ${position - 1} was altered (entry ${position}'s prev hash does not match it)`,
      );
    } else if (canonicalJson(parsed) !== line) {
      // Same content re-serialised differently still changes the hashed bytes; say so plainly.
      add(`entry ${position} was altered (it is no longer in canonical form)`);
    }
    prevHash = sha256Hex(line);
  }
  if (lines.length < recorded.entries) {
    add(
      `cut short: ${lines.length} of ${recorded.entries} entries remain (entries ${lines.length + 1}–${recorded.entries} are missing)`,
    );
  } else if (lines.length > recorded.entries) {
    add(`${lines.length - recorded.entries} entries were added after entry ${recorded.entries}`);
  } else if (prevHash !== recorded.head && problems.length === 0) {
    add(
      lines.length === 0
        ? 'the trace is empty but the manifest records a head hash'
        : `entry ${lines.length} (the last) was altered, or the chain was recomputed: its hash does not match the manifest's head`,
    );
  }
  return problems;
}
