import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toJsonValue } from '../results/canonical-json.js';
import type { RunResults } from '../results/result-types.js';
import type { Reporter } from './reporter.js';

/**
 * Writes results.json alone (schema: harness/evidence/RESULTS-SCHEMA.md) under the output folder.
 * `trialsim run` writes the whole evidence bundle instead (harness/evidence/bundle-reporter.ts);
 * this stays for callers that want the results file and nothing else.
 */
export class ResultsJsonReporter implements Reporter {
  constructor(private readonly outDir: string) {}

  async onRunEnd(results: RunResults): Promise<void> {
    await mkdir(this.outDir, { recursive: true });
    await writeFile(join(this.outDir, 'results.json'), resultsJsonText(results));
  }
}

/**
 * results.json's exact bytes: two-space JSON in the results' own key order, byte strings as hex
 * and bigints as decimal strings (toJsonValue), one trailing newline. Deterministic for equal
 * results, which is what lets two runs with one seed compare byte for byte.
 */
export function resultsJsonText(results: RunResults): string {
  return `${JSON.stringify(toJsonValue(results), null, 2)}\n`;
}

/** Byte strings in step details become hex, so results.json stays plain JSON. */
export function jsonBytes(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}
