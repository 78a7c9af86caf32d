import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { TraceChainCheck, type TraceChainHead } from './trace-chain.js';

/** What one pass over trace.jsonl tells `verify`. */
export interface TraceFileCheck {
  /** SHA-256 of the file's bytes, for the signed statement's digest. */
  readonly sha256: string;
  /** The chain's problems against the recorded head (empty when intact); none without a head. */
  readonly chainProblems: readonly string[] | undefined;
  /** Lines that are not empty: the messages the trace holds. */
  readonly messageLines: number;
}

const NEWLINE = 0x0a;

/**
 * Hashes trace.jsonl and checks its chain in one streaming pass. A 10,000-device trial's trace is
 * about 430 MB: read whole, it came near V8's longest string and took 2.8 GB to verify. A line
 * is split on the newline byte, which never occurs inside a UTF-8 sequence, so decoding line by
 * line gives the same text as decoding the file.
 */
export async function checkTraceFile(
  path: string,
  recorded: TraceChainHead | undefined,
  /** Read size; tests make it small so lines straddle reads. */
  chunkBytes = 1 << 20,
): Promise<TraceFileCheck> {
  const hash = createHash('sha256');
  // Without a recorded head there is no chain to check, only lines to count.
  const check = new TraceChainCheck(recorded ?? { file: '', entries: 0, head: '' });
  let pending: Buffer[] = [];
  let endedWithNewline = true;
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      pending.push(chunk.subarray(start, nl));
      check.line(Buffer.concat(pending).toString('utf8'));
      pending = [];
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      endedWithNewline = false;
    } else endedWithNewline = true;
  }
  if (pending.length > 0) check.line(Buffer.concat(pending).toString('utf8'));
  const problems = check.finish(endedWithNewline);
  return {
    sha256: hash.digest('hex'),
    chainProblems: recorded === undefined ? undefined : problems,
    messageLines: check.nonEmptyLines,
  };
}
