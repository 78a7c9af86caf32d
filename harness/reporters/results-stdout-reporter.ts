import type { RunResults } from '../results/result-types.js';
import type { Reporter } from './reporter.js';
import { resultsJsonText } from './results-json-reporter.js';

/**
 * `run --json`: the results, as results.json has them, on stdout. It runs before the evidence
 * bundle, so a CI job that reads stdout has the verdict even when the bundle cannot be written
 * (a full disk, a read-only --out); the run still ends in exit 3 for that.
 */
export class ResultsStdoutReporter implements Reporter {
  constructor(private readonly write: (text: string) => void = (text) => process.stdout.write(text)) {}

  onRunEnd(results: RunResults): void {
    this.write(resultsJsonText(results));
  }
}
