import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import type { HashedFile } from './manifest.js';
import { chainTraceLines, type ReportTraceLine, TRACE_FILE, type TraceChainHead } from './trace-chain.js';

/** Bytes gathered before each write: few system calls, and never more than this held as text. */
const CHUNK_BYTES = 1 << 20;

export interface WrittenTrace {
  readonly head: TraceChainHead;
  readonly file: HashedFile;
}

/**
 * Writes trace.jsonl into `dir` as the chain is made, hashing it on the way. A 10,000-device
 * trial's trace is some 500,000 lines (over 400 MB): built as one string, re-parsed for the report
 * and copied into a Buffer to hash, it took several times the memory the run itself needed, so
 * the bundle, not the run, set a large trial's peak. Here at most one chunk of text is held, and
 * each line goes to `onLine` (what report.html draws, report-trace.ts) as it is written, not kept.
 */
export async function writeBundleTrace(
  dir: string,
  traces: readonly ScenarioTrace[],
  onLine: (line: ReportTraceLine) => void = () => {},
): Promise<WrittenTrace> {
  const handle = await open(join(dir, TRACE_FILE), 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const chunk = Buffer.from(pending.join(''), 'utf8');
    pending = [];
    pendingLength = 0;
    hash.update(chunk);
    bytes += chunk.length;
    await handle.write(chunk);
  };
  try {
    const chain = chainTraceLines(traces);
    for (let next = chain.next(); ; next = chain.next()) {
      if (next.done === true) {
        await flush();
        return { head: next.value, file: { path: TRACE_FILE, sha256: hash.digest('hex'), bytes } };
      }
      onLine(next.value.line);
      pending.push(`${next.value.text}\n`);
      // String length counts UTF-16 units, not bytes: near enough to size a chunk.
      pendingLength += next.value.text.length + 1;
      if (pendingLength >= CHUNK_BYTES) await flush();
    }
  } finally {
    await handle.close();
  }
}
