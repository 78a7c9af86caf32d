import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONFORMANCE_FILE } from '../dut/conformance-reporter.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { junitXml } from '../reporters/junit-reporter.js';
import { resultsJsonText } from '../reporters/results-json-reporter.js';
import { canonicalJson } from '../results/canonical-json.js';
import type { RunResults } from '../results/result-types.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import type { LoadedApplication } from './application-file.js';
import { writeFolderAtomically } from './atomic-folder.js';
import { hashInputs, runIdFor } from './bundle-inputs.js';
import { writeBundleTrace } from './bundle-trace-file.js';
import { ctrfJson } from './ctrf-json.js';
import { sha256Hex } from './digest.js';
import { EVIDENCE_PREDICATE_TYPE, type InTotoStatement, signStatement } from './dsse.js';
import { duisXmlFiles } from './duis-xml-files.js';
import {
  ENVELOPE_FILE,
  type EvidencePredicate,
  type HashedFile,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  type Manifest,
} from './manifest.js';
import { reportHtml } from './report/report-html.js';
import { ReportTrace } from './report/report-trace.js';
import { type EvidenceSigningKey, keyIdOf, publicKeyPem } from './signing-key.js';
import { summaryMarkdown } from './summary-markdown.js';
import { TRACE_FILE } from './trace-chain.js';

export const RESULTS_FILE = 'results.json';
export const REPORT_FILE = 'report.html';
/** The files the bundle writes itself: no reporter may hand over one of these names. */
export const BUNDLE_OWN_FILES: ReadonlySet<string> = new Set([
  RESULTS_FILE,
  TRACE_FILE,
  'junit.xml',
  'ctrf.json',
  'summary.md',
  REPORT_FILE,
  'RESULTS-SCHEMA.md',
  'application.yaml',
  MANIFEST_FILE,
  ENVELOPE_FILE,
]);
const SCHEMA_DOC = join(PACKAGE_ROOT, 'harness', 'evidence', 'RESULTS-SCHEMA.md');

export interface BundleOptions {
  readonly outDir: string;
  readonly seed: string;
  readonly signingKey: EvidenceSigningKey;
  readonly application?: LoadedApplication;
  readonly filter?: string;
  readonly bail: boolean;
}

/** Files other reporters handed over during the run (HandedOverFiles): signed with the bundle. */
export type ExtraFiles = ReadonlyMap<string, Buffer>;

/** The device-under-test conformance results, when the conformance suite handed them over. */
function conformanceOf(extraFiles: ExtraFiles): { conformance?: unknown } {
  const bytes = extraFiles.get(CONFORMANCE_FILE);
  if (bytes === undefined) return {};
  try {
    return { conformance: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { conformance: `conformance.json is not JSON` };
  }
}

/** results with the run id placed right after `tool`, where a reader looks for it. */
function withRunId(results: RunResults, runId: string): RunResults {
  const { schemaVersion, tool, ...rest } = results;
  return { schemaVersion, tool, runId, ...rest };
}

/**
 * Writes the evidence bundle (EVIDENCE.md): results, hash-chained trace, CI reports, summary,
 * report.html, manifest.json with the SHA-256 of every file and input, and the manifest signed
 * as an in-toto Statement in a DSSE envelope — atomically, the envelope last.
 */
export async function writeEvidenceBundle(
  runResults: RunResults,
  traces: readonly ScenarioTrace[],
  options: BundleOptions,
  extraFiles: ExtraFiles = new Map(),
): Promise<{ readonly manifest: Manifest; readonly results: RunResults }> {
  const inputs = await hashInputs(runResults, {
    ...(options.application === undefined ? {} : { application: options.application.file }),
    ...(options.filter === undefined ? {} : { filter: options.filter }),
    bail: options.bail,
  });
  const runId = runIdFor(runResults.tool.version, options.seed, inputs);
  const results = withRunId(runResults, runId);
  const ran = new Set(results.scenarios.map((s) => s.id));
  const ranTraces = traces.filter((t) => ran.has(t.scenario));
  const keyId = keyIdOf(options.signingKey.publicKey);
  const application = options.application?.application;
  const manifest = await writeFolderAtomically(options.outDir, async (dir): Promise<Manifest> => {
    // The trace first, streamed and hashed as it is written: the largest file by far.
    const reportTrace = new ReportTrace(results);
    const trace = await writeBundleTrace(dir, ranTraces, (line) => reportTrace.add(line));
    const files = new Map<string, string | Buffer>();
    files.set(RESULTS_FILE, resultsJsonText(results));
    files.set('junit.xml', junitXml(results));
    files.set('ctrf.json', ctrfJson(results));
    files.set('summary.md', summaryMarkdown(results, application));
    files.set(
      REPORT_FILE,
      reportHtml({
        results,
        trace: reportTrace,
        application,
        signing: { keyId, keySource: options.signingKey.source },
        ...conformanceOf(extraFiles),
      }),
    );
    // The signed DUIS XML each User exchanged over HTTP, byte for byte (runs with DUIS Users only).
    for (const [name, xml] of duisXmlFiles(ranTraces)) files.set(name, xml);
    const schemaDoc = await readFile(SCHEMA_DOC).catch(() => undefined);
    if (schemaDoc !== undefined) files.set('RESULTS-SCHEMA.md', schemaDoc);
    if (options.application !== undefined) files.set('application.yaml', options.application.bytes);
    for (const [name, bytes] of extraFiles) {
      // HandedOverFiles refuses these names already; this keeps a direct caller honest too.
      if (BUNDLE_OWN_FILES.has(name))
        throw new Error(`evidence bundle: ${name} is written by the bundle itself`);
      files.set(name, bytes);
    }

    const hashed: HashedFile[] = [
      trace.file,
      ...[...files.entries()].map(([path, content]) => {
        const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
        return { path, sha256: sha256Hex(bytes), bytes: bytes.length };
      }),
    ].sort((a, b) => a.path.localeCompare(b.path));

    const manifest: Manifest = {
      manifestVersion: MANIFEST_VERSION,
      tool: results.tool,
      runId,
      seed: options.seed,
      verdict: results.verdict,
      summary: results.summary,
      application: application ?? null,
      inputs,
      files: hashed,
      trace: trace.head,
      signing: {
        envelope: ENVELOPE_FILE,
        format: 'DSSE v1 + in-toto Statement v1',
        algorithm: 'ECDSA-P256-SHA256',
        keyId,
        keySource: options.signingKey.source,
        publicKey: publicKeyPem(options.signingKey.publicKey),
      },
      nonReproducible: {
        startedAt: results.timing.startedAt,
        realMs: results.timing.realMs,
        environment: { node: process.version, platform: process.platform, arch: process.arch },
      },
    };
    const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
    const statement: InTotoStatement<EvidencePredicate> = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [
        { name: MANIFEST_FILE, digest: { sha256: sha256Hex(manifestText) } },
        ...hashed.map((f) => ({ name: f.path, digest: { sha256: f.sha256 } })),
      ],
      predicateType: EVIDENCE_PREDICATE_TYPE,
      predicate: {
        runId,
        seed: options.seed,
        tool: results.tool,
        verdict: results.verdict,
        trace: trace.head,
        keySource: options.signingKey.source,
      },
    };
    const envelope = signStatement(statement, options.signingKey);
    for (const [name, content] of files) await writeFile(join(dir, name), content);
    await writeFile(join(dir, MANIFEST_FILE), manifestText);
    // Last: without the envelope a folder never verifies, so a cut-off write is never mistaken for a bundle.
    await writeFile(join(dir, ENVELOPE_FILE), `${canonicalJson(envelope)}\n`);
    return manifest;
  });
  return { manifest, results };
}
