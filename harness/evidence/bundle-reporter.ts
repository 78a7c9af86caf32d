import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Reporter } from '../reporters/reporter.js';
import type { RunResults } from '../results/result-types.js';
import { type BundleOptions, writeEvidenceBundle } from './bundle-writer.js';
import type { Manifest } from './manifest.js';
import type { ScenarioTrace } from './trace-chain.js';

/**
 * The reporter `trialsim run` uses: collects each scenario's trace and writes the bundle at the
 * end. Register it last: files that other reporters wrote into the evidence folder during this run
 * (e.g. the device-under-test conformance.json) are carried into the bundle and signed with it,
 * rather than lost in the atomic swap or left unsigned beside it.
 */
export class EvidenceBundleReporter implements Reporter {
  private readonly traces: ScenarioTrace[] = [];
  private runStart = Date.now();
  written: Manifest | undefined;

  constructor(private readonly options: BundleOptions) {}

  onRunStart(): void {
    this.runStart = Date.now();
  }

  onScenarioTrace(trace: ScenarioTrace): void {
    this.traces.push(trace);
  }

  async onRunEnd(results: RunResults): Promise<void> {
    const extra = await filesWrittenSince(this.options.outDir, this.runStart);
    // They travel inside the new bundle; left alone in a fresh --out folder they would make it look
    // like "not an evidence bundle" to the atomic swap's safety check. An earlier bundle is left whole.
    const names = await readdir(this.options.outDir).catch(() => [] as string[]);
    if (!names.some((n) => n === 'manifest.json' || n === 'results.json' || n === 'manifest.dsse.json')) {
      for (const name of extra.keys()) await rm(join(this.options.outDir, name), { force: true });
    }
    this.written = (await writeEvidenceBundle(results, this.traces, this.options, extra)).manifest;
  }
}

async function filesWrittenSince(dir: string, since: number): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(dir, entry.name);
    const info = await stat(path);
    if (info.mtimeMs >= since) out.set(entry.name, await readFile(path));
  }
  return out;
}
