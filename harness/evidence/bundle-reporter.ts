import { TrialsimError } from '../../simulator/errors.js';
import type { EvidenceHandOver, Reporter } from '../reporters/reporter.js';
import type { RunResults } from '../results/result-types.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import { type BundleOptions, writeEvidenceBundle } from './bundle-writer.js';
import { HandedOverFiles } from './evidence-hand-over.js';
import type { Manifest } from './manifest.js';

/**
 * The reporter `trialsim run` uses: collects each scenario's trace and writes the bundle at the
 * end. Register it last: the files other reporters hand over (EvidenceHandOver, e.g. the device-
 * under-test conformance.json) are then all in, and are signed with the bundle. Nothing else in
 * the output folder is: what the bundle holds is what this run produced, by name.
 */
export class EvidenceBundleReporter implements Reporter {
  private readonly traces: ScenarioTrace[] = [];
  written: Manifest | undefined;

  constructor(private readonly options: BundleOptions) {}

  onScenarioTrace(trace: ScenarioTrace): void {
    this.traces.push(trace);
  }

  async onRunEnd(results: RunResults, evidence: EvidenceHandOver): Promise<void> {
    const handedOver = evidence instanceof HandedOverFiles ? evidence.take() : new Map<string, Buffer>();
    try {
      this.written = (await writeEvidenceBundle(results, this.traces, this.options, handedOver)).manifest;
    } catch (err) {
      const why =
        err instanceof TrialsimError
          ? err.message
          : `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${(err as Error).message}`;
      // One line, exit 3: the run happened, its evidence did not land; whatever was there stays as it was.
      throw new TrialsimError(
        'EVIDENCE_WRITE_FAILED',
        `the evidence of this run could not be written to ${this.options.outDir} (${why}); nothing there was replaced or signed for this run`,
        { cause: err },
      );
    }
  }
}
