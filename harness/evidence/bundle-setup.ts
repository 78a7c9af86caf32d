import { loadApplication } from './application-file.js';
import { EvidenceBundleReporter } from './bundle-reporter.js';
import { checkEvidenceTarget, checkWritable } from './evidence-target.js';
import { loadSigningKey, seedSigningKey } from './signing-key.js';

export interface BundleCliOptions {
  readonly out: string;
  readonly seed: string;
  readonly application?: string;
  readonly signingKey?: string;
  readonly filter?: string;
  readonly bail: boolean;
  /** `--junit FILE`, checked writable with `--out`. */
  readonly junit?: string;
}

/**
 * Everything `trialsim run` checks before running anything, so a bad application file, key or
 * output folder stops the run at once rather than after an hour of scenarios.
 */
export async function evidenceBundleReporter(options: BundleCliOptions): Promise<EvidenceBundleReporter> {
  await checkEvidenceTarget(options.out);
  await checkWritable(options.out, '--out', 'folder');
  if (options.junit !== undefined) await checkWritable(options.junit, '--junit', 'file');
  const application =
    options.application === undefined ? undefined : await loadApplication(options.application);
  const signingKey =
    options.signingKey === undefined
      ? seedSigningKey(options.seed)
      : await loadSigningKey(options.signingKey);
  return new EvidenceBundleReporter({
    outDir: options.out,
    seed: options.seed,
    signingKey,
    ...(application === undefined ? {} : { application }),
    ...(options.filter === undefined ? {} : { filter: options.filter }),
    bail: options.bail,
  });
}
