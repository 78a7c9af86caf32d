import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../results/canonical-json.js';
import type { RunResults } from '../results/result-types.js';
import { runIdFor } from './bundle-inputs.js';
import { sha256Hex } from './digest.js';
import { EVIDENCE_PREDICATE_TYPE, type InTotoStatement, openEnvelope } from './dsse.js';
import { ENVELOPE_FILE, type EvidencePredicate, MANIFEST_FILE, type Manifest } from './manifest.js';
import { keyIdOf, publicKeyFromPem, seedSigningKey } from './signing-key.js';
import { TRACE_FILE, type TraceChainHead } from './trace-chain.js';
import { checkTraceFile } from './trace-file-check.js';
import type { TrustedKey } from './trust-store.js';

/**
 * `trialsim verify` (EVIDENCE.md "Trust model"): two questions, answered apart.
 *
 * - **Integrity**: is this folder exactly what one trialsim run signed? The envelope's signature
 *   verifies under the key the bundle names; the signed statement lists manifest.json and every
 *   file the manifest lists, with the same digests; every file in the folder is listed, is a plain
 *   file (no link, no sub-folder) and matches its digest; no listed name reaches outside the
 *   folder; results.json, trace.jsonl, the manifest and the signed predicate agree on the run id,
 *   seed, verdict, counts and trace head.
 * - **Authenticity**: is the signer a key the reviewer trusts (`--trust`, a trust store)? A bundle
 *   anyone could have re-signed — with a key derived from its public seed, or with a key the
 *   forger put into manifest.json — keeps its integrity and is still not authentic.
 */
export type Authenticity =
  | { readonly status: 'trusted'; readonly signer: Signer; readonly trustedBy: string }
  | { readonly status: 'untrusted'; readonly signer: Signer }
  /** No signature verifies: there is nobody to attribute the bundle to. */
  | { readonly status: 'unsigned'; readonly reason: string };

export interface Signer {
  /** SHA-256 of the key's SubjectPublicKeyInfo, hex: the DSSE keyid. */
  readonly keyId: string;
  /** Set when the key is the test-PKI key derived from this seed, which is in the bundle. */
  readonly publicSeed?: string;
}

export interface VerifyOutcome {
  readonly integrity: { readonly ok: boolean; readonly problems: readonly string[] };
  readonly authenticity: Authenticity;
  /** Both hold. */
  readonly ok: boolean;
  /** What was checked. */
  readonly notes: readonly string[];
}

/** One plain file name: a bundle is flat, so a name with a separator or a dot-dot is a forgery. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HEX64 = /^[0-9a-f]{64}$/;

function parseJson<T>(bytes: Buffer | undefined): T | undefined {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

const short = (hex: string | undefined) => (hex === undefined ? '?' : `${hex.slice(0, 16)}…`);

/** The folder's entries, without following links: plain files by name, and what else is there. */
async function listFolder(dir: string): Promise<{ files: Set<string>; others: string[] }> {
  const files = new Set<string>();
  const others: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const info = await lstat(join(dir, name));
    if (info.isSymbolicLink()) others.push(`${name}: a link (a bundle holds plain files only)`);
    else if (info.isDirectory()) others.push(`${name}: a folder (a bundle holds plain files only)`);
    else if (!info.isFile()) others.push(`${name}: not a plain file`);
    else files.add(name);
  }
  return { files, others };
}

interface Candidate {
  readonly publicKey: Uint8Array;
}

/** The keys the bundle itself names, and the trusted ones: whichever signed it is the signer. */
function candidateKeys(
  manifest: Partial<Manifest> | undefined,
  predicate: Partial<EvidencePredicate> | undefined,
  trusted: readonly TrustedKey[],
): Candidate[] {
  const out: Candidate[] = trusted.map((t) => ({ publicKey: t.publicKey }));
  if (typeof manifest?.signing?.publicKey === 'string') {
    try {
      out.push({ publicKey: publicKeyFromPem(manifest.signing.publicKey) });
    } catch {
      // Reported below as a manifest problem.
    }
  }
  for (const seed of bundleSeeds(manifest, predicate))
    out.push({ publicKey: seedSigningKey(seed).publicKey });
  return out;
}

/** The seeds the bundle names: a key derived from one of them is known to anyone who reads it. */
function bundleSeeds(
  manifest: Partial<Manifest> | undefined,
  predicate: Partial<EvidencePredicate> | undefined,
): string[] {
  return [...new Set([predicate?.seed, manifest?.seed])].filter((s): s is string => typeof s === 'string');
}

export interface VerifyOptions {
  /** Keys and certificates the reviewer trusts (trust-store.ts). */
  readonly trusted?: readonly TrustedKey[];
}

export async function verifyBundle(dir: string, options: VerifyOptions = {}): Promise<VerifyOutcome> {
  const problems: string[] = [];
  const notes: string[] = [];
  const trusted = options.trusted ?? [];
  const info = await lstat(dir).catch(() => undefined);
  if (info === undefined || !(info.isDirectory() || info.isSymbolicLink())) {
    const reason = `${dir}: not found (no evidence folder there)`;
    return {
      integrity: { ok: false, problems: [reason] },
      authenticity: { status: 'unsigned', reason },
      ok: false,
      notes,
    };
  }
  const folder = await listFolder(dir);
  problems.push(...folder.others);
  const read = (name: string) =>
    folder.files.has(name) ? readFile(join(dir, name)) : Promise.resolve(undefined);

  const envelopeBytes = await read(ENVELOPE_FILE);
  const manifestBytes = await read(MANIFEST_FILE);
  const envelope = parseJson<{ payload?: unknown }>(envelopeBytes);
  const manifest = parseJson<Partial<Manifest>>(manifestBytes);
  if (envelopeBytes === undefined) {
    problems.push(`${ENVELOPE_FILE}: missing — the bundle is unsigned, or writing it was interrupted`);
  } else if (envelope === undefined) problems.push(`${ENVELOPE_FILE}: not valid JSON (altered)`);
  else if (envelopeBytes.toString('utf8') !== `${canonicalJson(envelope)}\n`) {
    // Nothing else hashes the envelope: hold it to the exact bytes trialsim writes.
    problems.push(`${ENVELOPE_FILE}: altered (not byte for byte the canonical envelope trialsim writes)`);
  }
  if (manifestBytes === undefined) problems.push(`${MANIFEST_FILE}: missing`);
  else if (manifest === undefined) problems.push(`${MANIFEST_FILE}: not valid JSON (altered)`);

  const claimed =
    typeof envelope?.payload === 'string'
      ? parseJson<InTotoStatement<Partial<EvidencePredicate>>>(Buffer.from(envelope.payload, 'base64'))
          ?.predicate
      : undefined;

  // The signer: the first candidate key under which the signature verifies.
  let statement: InTotoStatement<unknown> | undefined;
  let signer: Candidate | undefined;
  let signatureProblem: string | undefined;
  if (envelope !== undefined) {
    for (const candidate of candidateKeys(manifest, claimed, trusted)) {
      const opened = openEnvelope(envelope, candidate.publicKey);
      if (opened.ok) {
        statement = opened.statement;
        signer = candidate;
        break;
      }
      // Keep the message that says most: a signature by this key that no longer verifies.
      if (signatureProblem === undefined || !opened.problem.startsWith('no signature by key'))
        signatureProblem = opened.problem;
    }
    if (statement === undefined) {
      problems.push(
        `${ENVELOPE_FILE}: ${signatureProblem ?? 'no key to check the signature with (manifest.json names none)'}`,
      );
    }
  }

  // What is signed: the statement's subjects (or, with a broken signature, the manifest's list).
  let expected = new Map<string, string | undefined>();
  let traceHead: TraceChainHead | undefined;
  let predicate: Partial<EvidencePredicate> | undefined;
  if (statement !== undefined) {
    predicate = statement.predicate as Partial<EvidencePredicate> | undefined;
    if (statement.predicateType !== EVIDENCE_PREDICATE_TYPE) {
      problems.push(
        `${ENVELOPE_FILE}: the signed statement is not a trialsim evidence statement (predicateType ${String(statement.predicateType)})`,
      );
    }
    for (const s of statement.subject) {
      const name = (s as { name?: unknown })?.name;
      const digest = (s as { digest?: { sha256?: unknown } })?.digest?.sha256;
      if (typeof name !== 'string' || !SAFE_NAME.test(name)) {
        problems.push(
          `${ENVELOPE_FILE}: the signed statement names ${JSON.stringify(name)}, which is not a file of this folder (a bundle is one flat folder; paths outside it are refused)`,
        );
        continue;
      }
      if (expected.has(name)) problems.push(`${ENVELOPE_FILE}: the signed statement lists ${name} twice`);
      if (typeof digest !== 'string' || !HEX64.test(digest)) {
        problems.push(`${ENVELOPE_FILE}: the signed statement has no SHA-256 for ${name}`);
      }
      expected.set(name, typeof digest === 'string' ? digest : undefined);
    }
    traceHead = predicate?.trace;
    if (!expected.has(MANIFEST_FILE)) {
      problems.push(`${MANIFEST_FILE}: not covered by the signed statement`);
    } else if (manifestBytes !== undefined && expected.get(MANIFEST_FILE) !== sha256Hex(manifestBytes)) {
      problems.push(
        `${MANIFEST_FILE}: altered (SHA-256 ${short(sha256Hex(manifestBytes))}, the signed statement says ${short(expected.get(MANIFEST_FILE))})`,
      );
    }
    expected.delete(MANIFEST_FILE);
    // Every file the manifest lists must be in the signed statement, with the same digest.
    for (const f of Array.isArray(manifest?.files) ? manifest.files : []) {
      const signed = expected.get(f.path);
      if (!expected.has(f.path))
        problems.push(`${f.path}: listed in manifest.json but not in the signed statement`);
      else if (signed !== f.sha256)
        problems.push(`${f.path}: manifest.json and the signed statement disagree on its SHA-256`);
    }
  } else if (Array.isArray(manifest?.files)) {
    notes.push('files checked against manifest.json, which is not covered by a valid signature');
    expected = new Map(
      manifest.files.filter((f) => SAFE_NAME.test(f.path)).map((f) => [f.path, f.sha256] as const),
    );
    traceHead = manifest.trace;
  }

  // trace.jsonl is hashed and its chain checked in one streaming pass: it can be hundreds of MB.
  const trace =
    expected.has(TRACE_FILE) && folder.files.has(TRACE_FILE)
      ? await checkTraceFile(join(dir, TRACE_FILE), traceHead)
      : undefined;
  for (const [name, sha256] of expected) {
    const digest = name === TRACE_FILE ? trace?.sha256 : await read(name).then((b) => b && sha256Hex(b));
    if (digest === undefined) {
      if (!folder.others.some((o) => o.startsWith(`${name}:`))) problems.push(`${name}: missing`);
    } else if (digest !== sha256) {
      problems.push(`${name}: altered (SHA-256 ${short(digest)}, signed ${short(sha256)})`);
    }
  }
  if (expected.size > 0 || statement !== undefined) {
    for (const name of folder.files) {
      if (!expected.has(name) && name !== MANIFEST_FILE && name !== ENVELOPE_FILE) {
        problems.push(`${name}: not part of the signed bundle (added after signing)`);
      }
    }
  }

  if (traceHead !== undefined && trace?.chainProblems !== undefined) {
    problems.push(...trace.chainProblems);
    if (trace.chainProblems.length === 0)
      notes.push(`${TRACE_FILE}: hash chain of ${traceHead.entries} entries intact`);
  }
  if (statement !== undefined && manifest !== undefined) {
    const results = expected.has('results.json')
      ? parseJson<Partial<RunResults>>(await read('results.json'))
      : undefined;
    problems.push(...crossCheck(manifest, predicate ?? {}, results, trace?.messageLines, signer));
  }

  const integrityOk = problems.length === 0;
  if (integrityOk) notes.unshift(`${expected.size + 1} files match the signed statement`);
  const seeds = bundleSeeds(manifest, claimed);
  const authenticity = authenticityOf(signer, seeds, trusted, integrityOk, problems);
  return {
    integrity: { ok: integrityOk, problems },
    authenticity,
    ok: integrityOk && authenticity.status === 'trusted',
    notes,
  };
}

function authenticityOf(
  signer: Candidate | undefined,
  seeds: readonly string[],
  trusted: readonly TrustedKey[],
  integrityOk: boolean,
  problems: readonly string[],
): Authenticity {
  if (signer === undefined) {
    return {
      status: 'unsigned',
      reason: problems.find((p) => p.startsWith(ENVELOPE_FILE)) ?? 'no valid signature',
    };
  }
  const keyId = keyIdOf(signer.publicKey);
  const publicSeed = seeds.find((seed) => keyIdOf(seedSigningKey(seed).publicKey) === keyId);
  const who: Signer = { keyId, ...(publicSeed === undefined ? {} : { publicSeed }) };
  const anchor = trusted.find((t) => t.keyId === keyId);
  // A signature over a bundle that does not hold together vouches for nothing.
  if (anchor !== undefined && integrityOk)
    return { status: 'trusted', signer: who, trustedBy: anchor.source };
  return { status: 'untrusted', signer: who };
}

const sameJson = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/**
 * The parts of a bundle that describe the same run must agree: a results.json from another run,
 * a manifest edited to match it, or a trace of another length is caught here even when every
 * file's digest was signed afresh.
 */
function crossCheck(
  manifest: Partial<Manifest>,
  predicate: Partial<EvidencePredicate>,
  results: Partial<RunResults> | undefined,
  traceMessages: number | undefined,
  signer: Candidate | undefined,
): string[] {
  const out: string[] = [];
  const agree = (what: string, values: Record<string, unknown>) => {
    const entries = Object.entries(values);
    const first = entries[0]?.[1];
    if (entries.some(([, v]) => !sameJson(v, first))) {
      out.push(
        `${what} differs: ${entries.map(([where, v]) => `${where} ${JSON.stringify(v ?? null)}`).join(', ')} (parts of different runs)`,
      );
    }
  };
  agree('run id', {
    'signed statement': predicate.runId,
    'manifest.json': manifest.runId,
    'results.json': results?.runId,
  });
  agree('seed', {
    'signed statement': predicate.seed,
    'manifest.json': manifest.seed,
    'results.json': results?.seed,
  });
  agree('verdict', {
    'signed statement': predicate.verdict,
    'manifest.json': manifest.verdict,
    'results.json': results?.verdict,
  });
  agree('tool', {
    'signed statement': predicate.tool,
    'manifest.json': manifest.tool,
    'results.json': results?.tool,
  });
  agree('trace head', { 'signed statement': predicate.trace, 'manifest.json': manifest.trace });
  if (results !== undefined) {
    agree('scenario counts', { 'manifest.json': manifest.summary, 'results.json': results.summary });
    const scenarios = Array.isArray(results.scenarios) ? results.scenarios : [];
    const counted: Record<string, number> = { passed: 0, failed: 0, error: 0, skipped: 0 };
    for (const s of scenarios)
      if (typeof s?.verdict === 'string' && s.verdict in counted)
        counted[s.verdict] = (counted[s.verdict] ?? 0) + 1;
    agree('scenario counts', { 'results.json summary': results.summary, 'results.json scenarios': counted });
    const messages = scenarios.reduce(
      (n, s) => n + (typeof s?.messageCount === 'number' ? s.messageCount : 0),
      0,
    );
    if (traceMessages !== undefined && traceMessages !== messages) {
      out.push(
        `message count differs: results.json counts ${messages}, trace.jsonl holds ${traceMessages} (parts of different runs)`,
      );
    }
  } else out.push('results.json: missing from the signed bundle');
  if (
    typeof manifest.tool?.version === 'string' &&
    typeof manifest.seed === 'string' &&
    manifest.inputs !== undefined &&
    runIdFor(manifest.tool.version, manifest.seed, manifest.inputs) !== manifest.runId
  ) {
    out.push('manifest.json: its run id is not the one its inputs give (inputs or run id edited)');
  }
  if (signer !== undefined) {
    const keyId = keyIdOf(signer.publicKey);
    if (manifest.signing?.keyId !== keyId) {
      out.push(
        `manifest.json: names signing key ${short(manifest.signing?.keyId)}, but the bundle was signed by ${short(keyId)}`,
      );
    }
    if (predicate.keySource !== manifest.signing?.keySource) {
      out.push('manifest.json: its key source differs from the signed statement');
    }
  }
  return out;
}

/** The one-line answer `verify` prints first. */
export function verdictLine(outcome: VerifyOutcome): string {
  if (!outcome.integrity.ok) return 'NOT VERIFIED: integrity fails';
  const a = outcome.authenticity;
  if (a.status === 'trusted')
    return `verified: integrity holds; signed by trusted key ${a.signer.keyId} (${a.trustedBy})`;
  if (a.status === 'untrusted') {
    return `integrity holds; signer not trusted: key ${a.signer.keyId}${a.signer.publicSeed === undefined ? '' : `, derived from a public seed ("${a.signer.publicSeed}")`}`;
  }
  return `NOT VERIFIED: ${a.reason}`;
}
