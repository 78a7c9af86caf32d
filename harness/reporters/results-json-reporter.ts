import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResults } from '../results/result-types.js';
import type { Reporter } from './reporter.js';

/** Writes results.json (schema in harness/results/result-types.ts) under the output folder. */
export class ResultsJsonReporter implements Reporter {
  constructor(private readonly outDir: string) {}

  async onRunEnd(results: RunResults): Promise<void> {
    await mkdir(this.outDir, { recursive: true });
    await writeFile(join(this.outDir, 'results.json'), `${JSON.stringify(results, jsonBytes, 2)}\n`);
  }
}

/** Byte strings in step details become hex, so results.json stays plain JSON. */
export function jsonBytes(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}
