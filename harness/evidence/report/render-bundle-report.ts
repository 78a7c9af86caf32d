import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrialsimError } from '../../../simulator/errors.js';
import type { RunResults } from '../../results/result-types.js';
import type { Manifest } from '../manifest.js';
import { readTraceLines, TRACE_FILE } from '../trace-chain.js';
import { reportHtml } from './report-html.js';

async function readBundleFile(dir: string, name: string): Promise<string> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch {
    throw new TrialsimError(
      'EVIDENCE_TARGET_INVALID',
      `${join(dir, name)}: not found (is ${dir} an evidence folder?)`,
    );
  }
}

/** `trialsim report`: the same page `run` writes, from what the bundle holds. */
export async function renderBundleReport(dir: string, out: string): Promise<void> {
  const results = JSON.parse(await readBundleFile(dir, 'results.json')) as RunResults;
  const trace = readTraceLines(await readBundleFile(dir, TRACE_FILE).catch(() => ''));
  const manifest = JSON.parse(
    await readBundleFile(dir, 'manifest.json').catch(() => '{}'),
  ) as Partial<Manifest>;
  const html = reportHtml({
    results,
    trace,
    application: manifest.application ?? undefined,
    signing:
      manifest.signing === undefined
        ? undefined
        : { keyId: manifest.signing.keyId, keySource: manifest.signing.keySource },
  });
  await writeFile(out, html);
}
