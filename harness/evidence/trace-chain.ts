import { canonicalJson } from '../results/canonical-json.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import { sha256Hex } from './digest.js';
import { readFileLines } from './file-lines.js';

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

/**
 * Parses trace.jsonl without checking it (for the report and merge), streamed: the lines' objects
 * are kept, never the file's text. Unparseable lines are skipped.
 */
export async function readTraceFileLines(path: string): Promise<ChainedTraceLine[]> {
  const out: ChainedTraceLine[] = [];
  await eachTraceFileLine(path, (line) => out.push(line));
  return out;
}

/** Each line of trace.jsonl parsed, in order, none kept (the report of a large bundle). */
export async function eachTraceFileLine(path: string, use: (line: ChainedTraceLine) => void): Promise<void> {
  await readFileLines(path, (text) => {
    if (text.trim() === '') return;
    let line: ChainedTraceLine;
    try {
      line = JSON.parse(text) as ChainedTraceLine;
    } catch {
      // The report shows what it can; `trialsim verify` is where a broken line is reported.
      return;
    }
    use(line);
  });
}

/** Cap on reported chain problems: after a few, the rest are consequences of the first. */
const MAX_PROBLEMS = 5;

/**
 * Checks the chain against the head the manifest recorded. Returns problems naming the entry
 * (its 1-based index) that was altered, removed or is missing; empty when the chain is intact.
 */
export function checkTraceChain(text: string, recorded: TraceChainHead): string[] {
  const check = new TraceChainCheck(recorded);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) check.line(line);
  return check.finish(text.length === 0 || text.endsWith('\n'));
}

/**
 * The chain check one line at a time, so `trialsim verify` can check a trace of millions of lines
 * as it streams off the disk (trace-file-check.ts) without holding the file's text.
 */
export class TraceChainCheck {
  private readonly problems: string[] = [];
  private position = 0;
  private prevHash = GENESIS;
  /** Lines that are not empty: what results.json's message count must equal. */
  nonEmptyLines = 0;

  constructor(private readonly recorded: TraceChainHead) {}

  private add(problem: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(`${this.recorded.file}: ${problem}`);
  }

  /** One line of the file, without its newline. */
  line(line: string): void {
    const position = ++this.position;
    if (line !== '') this.nonEmptyLines++;
    const hash = sha256Hex(line);
    let parsed: Partial<ChainedTraceLine>;
    try {
      parsed = JSON.parse(line) as Partial<ChainedTraceLine>;
    } catch {
      this.add(`entry ${position} is not valid JSON (altered)`);
      this.prevHash = hash;
      return;
    }
    if (parsed.index !== position) {
      if (typeof parsed.index === 'number' && parsed.index > position) {
        const first = position;
        const last = parsed.index - 1;
        this.add(
          first === last
            ? `entry ${first} was removed (line ${position} holds entry ${parsed.index})`
            : `entries ${first}–${last} were removed (line ${position} holds entry ${parsed.index})`,
        );
      } else {
        this.add(
          `line ${position} holds entry ${String(parsed.index)}: entries were reordered or duplicated`,
        );
      }
    } else if (parsed.prev !== this.prevHash) {
      this.add(
        position === 1
          ? 'entry 1 does not start the chain (its prev is not the genesis hash): altered'
          : `entry ${position - 1} was altered (entry ${position}'s prev hash does not match it)`,
      );
    } else if (canonicalJson(parsed) !== line) {
      // Same content re-serialised differently still changes the hashed bytes; say so plainly.
      this.add(`entry ${position} was altered (it is no longer in canonical form)`);
    }
    this.prevHash = hash;
  }

  /** The problems found; `endedWithNewline` false means the file's last line was cut. */
  finish(endedWithNewline: boolean): string[] {
    if (!endedWithNewline)
      this.problems.unshift(`${this.recorded.file}: the last line is incomplete (the file was cut)`);
    if (this.problems.length > MAX_PROBLEMS) this.problems.length = MAX_PROBLEMS;
    const count = this.position;
    const { entries, head } = this.recorded;
    if (count < entries) {
      this.add(
        `cut short: ${count} of ${entries} entries remain (entries ${count + 1}–${entries} are missing)`,
      );
    } else if (count > entries) {
      this.add(`${count - entries} entries were added after entry ${entries}`);
    } else if (this.prevHash !== head && this.problems.length === 0) {
      this.add(
        count === 0
          ? 'the trace is empty but the manifest records a head hash'
          : `entry ${count} (the last) was altered, or the chain was recomputed: its hash does not match the manifest's head`,
      );
    }
    return this.problems;
  }
}
