import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrialsimError } from '../../../simulator/errors.js';
import { CONFORMANCE_FILE } from '../../dut/conformance-reporter.js';
import type { RunResults } from '../../results/result-types.js';
import type { Manifest } from '../manifest.js';
import { eachTraceFileLine, TRACE_FILE } from '../trace-chain.js';
import type { TrustedKey } from '../trust-store.js';
import { type VerifyOutcome, verdictLine, verifyBundle } from '../verify-bundle.js';
import { reportHtml } from './report-html.js';
import { writeReportPdf } from './report-pdf.js';
import { ReportTrace } from './report-trace.js';

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

export interface RenderOptions {
  readonly out?: string;
  readonly pdf?: string;
  readonly trusted?: readonly TrustedKey[];
  /** Render a bundle whose integrity fails, marked as such, instead of refusing. */
  readonly unverified?: boolean;
}

export interface RenderOutcome {
  readonly verification: VerifyOutcome;
  readonly pages?: number;
}

/**
 * `trialsim report`: the same page `run` writes, from what the bundle holds — after checking the
 * bundle. A bundle whose integrity fails is refused (`unverified` renders it under a banner that
 * says so); one whose signer is not trusted is rendered under a banner naming the signer.
 */
export async function renderBundleReport(dir: string, options: RenderOptions): Promise<RenderOutcome> {
  const verification = await verifyBundle(dir, { trusted: options.trusted ?? [] });
  if (!verification.integrity.ok && options.unverified !== true) {
    throw new TrialsimError(
      'EVIDENCE_UNVERIFIED',
      `${dir} does not verify, so no report is made from it (${verification.integrity.problems.slice(0, 3).join('; ')}${verification.integrity.problems.length > 3 ? '; …' : ''}); check it with trialsim verify, or pass --unverified for a page marked as such`,
    );
  }
  const results = JSON.parse(await readBundleFile(dir, 'results.json')) as RunResults;
  // Streamed into what the report draws: the trace of a large trial is hundreds of MB of text.
  const trace = new ReportTrace(results);
  await eachTraceFileLine(join(dir, TRACE_FILE), (line) => trace.add(line)).catch(() => {});
  const manifest = JSON.parse(
    await readBundleFile(dir, 'manifest.json').catch(() => '{}'),
  ) as Partial<Manifest>;
  const listed = new Set((manifest.files ?? []).map((f) => f.path));
  const conformance = listed.has(CONFORMANCE_FILE)
    ? (JSON.parse(await readBundleFile(dir, CONFORMANCE_FILE)) as unknown)
    : undefined;
  const html = reportHtml({
    results,
    trace,
    application: manifest.application ?? undefined,
    signing:
      manifest.signing === undefined
        ? undefined
        : { keyId: manifest.signing.keyId, keySource: manifest.signing.keySource },
    ...(conformance === undefined ? {} : { conformance }),
    verification: {
      verified: verification.ok,
      integrity: verification.integrity.ok,
      lines: [verdictLine(verification), ...verification.integrity.problems],
    },
  });
  if (options.out !== undefined) await writeFile(options.out, html);
  if (options.pdf === undefined) return { verification };
  return { verification, pages: await writeReportPdf(html, options.pdf) };
}
