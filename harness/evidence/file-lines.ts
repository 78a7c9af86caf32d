import { createReadStream } from 'node:fs';

const NEWLINE = 0x0a;

/** How a file read line by line ended. */
export interface FileLinesEnd {
  /** False when the last line has no newline (a file cut mid-line). */
  readonly endedWithNewline: boolean;
}

/**
 * Reads a file line by line without holding its text: trace.jsonl for a 10,000-device trial is
 * about 430 MB, near V8's longest string. Lines are split on the newline byte, which never occurs
 * inside a UTF-8 sequence, so each line decodes to the text it has in the whole file. `onChunk`
 * sees every byte once, in order (for hashing the file in the same pass). The final line after the
 * last newline is given only when it is not empty, as `text.split('\n')` less its trailing ''.
 */
export async function readFileLines(
  path: string,
  onLine: (line: string) => void,
  options: { readonly chunkBytes?: number; readonly onChunk?: (chunk: Buffer) => void } = {},
): Promise<FileLinesEnd> {
  let pending: Buffer[] = [];
  let endedWithNewline = true;
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    options.onChunk?.(chunk);
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      pending.push(chunk.subarray(start, nl));
      onLine(Buffer.concat(pending).toString('utf8'));
      pending = [];
      start = nl + 1;
    }
    endedWithNewline = start === chunk.length;
    if (!endedWithNewline) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) onLine(Buffer.concat(pending).toString('utf8'));
  return { endedWithNewline };
}
