import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from './canonical-json.js';
import { sha256Hex } from './digest.js';
import { type InTotoStatement, openEnvelope } from './dsse.js';
import { ENVELOPE_FILE, type EvidencePredicate, MANIFEST_FILE, type Manifest } from './manifest.js';
import { keyIdOf, publicKeyFromPem, seedSigningKey } from './signing-key.js';
import { checkTraceChain, TRACE_FILE, type TraceChainHead } from './trace-chain.js';

export interface VerifyOutcome {
  readonly ok: boolean;
  /** What was altered, missing or added, each naming the file (and for the trace, the entry). */
  readonly problems: readonly string[];
  /** What was checked and with which key. */
  readonly notes: readonly string[];
}

async function readMaybe(path: string): Promise<Buffer | undefined> {
  return readFile(path).catch(() => undefined);
}

function parseJson<T>(bytes: Buffer | undefined): T | undefined {
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function unverifiedPredicate(
  envelope: { payload?: unknown } | undefined,
): Partial<EvidencePredicate> | undefined {
  if (typeof envelope?.payload !== 'string') return undefined;
  const statement = parseJson<InTotoStatement<Partial<EvidencePredicate>>>(
    Buffer.from(envelope.payload, 'base64'),
  );
  return statement?.predicate;
}

const short = (hex: string | undefined) => (hex === undefined ? '?' : `${hex.slice(0, 16)}…`);

/**
 * Checks a bundle: the DSSE signature over the in-toto statement, the manifest against the
 * statement, every file against its signed SHA-256, files added since, and the trace's hash
 * chain. Which key: `publicKey` if given (the manufacturer's, out of band); otherwise the key the
 * bundle says it used — re-derived from the seed for the test-PKI key, read from manifest.json
 * for a file key (which proves integrity, not who signed; hence the note).
 */
export async function verifyBundle(
  dir: string,
  options: { readonly publicKey?: Uint8Array } = {},
): Promise<VerifyOutcome> {
  const problems: string[] = [];
  const notes: string[] = [];
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    return { ok: false, problems: [`${dir}: not found (no evidence folder there)`], notes };
  }
  const envelopeBytes = await readMaybe(join(dir, ENVELOPE_FILE));
  const manifestBytes = await readMaybe(join(dir, MANIFEST_FILE));
  const envelope = parseJson<{ payload?: unknown }>(envelopeBytes);
  const manifest = parseJson<Manifest>(manifestBytes);
  if (envelopeBytes === undefined) {
    problems.push(`${ENVELOPE_FILE}: missing — the bundle is unsigned, or writing it was interrupted`);
  } else if (envelope === undefined) problems.push(`${ENVELOPE_FILE}: not valid JSON (altered)`);
  else if (envelopeBytes.toString('utf8') !== `${canonicalJson(envelope)}\n`) {
    // Nothing else hashes the envelope: hold it to the exact bytes trialsim writes.
    problems.push(`${ENVELOPE_FILE}: altered (not byte for byte the canonical envelope trialsim writes)`);
  }
  if (manifestBytes === undefined) problems.push(`${MANIFEST_FILE}: missing`);
  else if (manifest === undefined) problems.push(`${MANIFEST_FILE}: not valid JSON (altered)`);

  // Which key to check the signature with.
  let publicKey = options.publicKey;
  const claimed = unverifiedPredicate(envelope);
  if (publicKey !== undefined) {
    notes.push(`signature checked with the given key ${keyIdOf(publicKey)}`);
  } else if (claimed?.keySource === 'test-pki-seed' && typeof claimed.seed === 'string') {
    publicKey = seedSigningKey(claimed.seed).publicKey;
    notes.push(
      `signature checked with the test-PKI manufacturer key derived from seed "${claimed.seed}" (${keyIdOf(publicKey)}): this proves integrity, not authorship — anyone with the seed can derive it`,
    );
  } else if (typeof manifest?.signing?.publicKey === 'string') {
    try {
      publicKey = publicKeyFromPem(manifest.signing.publicKey);
      notes.push(
        `signature checked with the key in manifest.json (${keyIdOf(publicKey)}); pass --key <pem> to check it is the manufacturer's evidence key`,
      );
    } catch {
      problems.push(`${MANIFEST_FILE}: signing.publicKey is not a PEM public key (altered)`);
    }
  } else if (envelope !== undefined) {
    problems.push(
      `${ENVELOPE_FILE}: cannot check the signature: no key (manifest.json has none; pass --key <pem>)`,
    );
  }

  let statement: InTotoStatement<unknown> | undefined;
  if (envelope !== undefined && publicKey !== undefined) {
    const opened = openEnvelope(envelope, publicKey);
    if (opened.ok) statement = opened.statement;
    else problems.push(`${ENVELOPE_FILE}: ${opened.problem}`);
  }

  // The list of files to check: the signed statement's, or (signature broken) the manifest's.
  let expected: { name: string; sha256: string | undefined }[] = [];
  let traceHead: TraceChainHead | undefined;
  if (statement !== undefined) {
    expected = statement.subject.map((s) => ({ name: s.name, sha256: s.digest?.sha256 }));
    traceHead = (statement.predicate as Partial<EvidencePredicate> | undefined)?.trace;
    const signedManifest = expected.find((s) => s.name === MANIFEST_FILE);
    if (manifestBytes !== undefined && signedManifest?.sha256 !== sha256Hex(manifestBytes)) {
      problems.push(
        `${MANIFEST_FILE}: altered (SHA-256 ${short(sha256Hex(manifestBytes))}, the signed statement says ${short(signedManifest?.sha256)})`,
      );
    }
    expected = expected.filter((s) => s.name !== MANIFEST_FILE);
  } else if (Array.isArray(manifest?.files)) {
    notes.push('files checked against manifest.json, which is not covered by a valid signature');
    expected = manifest.files.map((f) => ({ name: f.path, sha256: f.sha256 }));
    traceHead = manifest.trace;
  }

  for (const file of expected) {
    const bytes = await readMaybe(join(dir, file.name));
    if (bytes === undefined) problems.push(`${file.name}: missing`);
    else if (sha256Hex(bytes) !== file.sha256) {
      problems.push(
        `${file.name}: altered (SHA-256 ${short(sha256Hex(bytes))}, signed ${short(file.sha256)})`,
      );
    }
  }
  if (expected.length > 0) {
    const known = new Set([...expected.map((f) => f.name), MANIFEST_FILE, ENVELOPE_FILE]);
    for (const name of (await readdir(dir)).sort()) {
      if (!known.has(name)) problems.push(`${name}: not part of the signed bundle (added after signing)`);
    }
  }

  if (traceHead !== undefined && expected.some((f) => f.name === TRACE_FILE)) {
    const trace = await readMaybe(join(dir, TRACE_FILE));
    if (trace !== undefined) problems.push(...checkTraceChain(trace.toString('utf8'), traceHead));
    if (trace !== undefined && problems.length === 0) {
      notes.push(`${TRACE_FILE}: hash chain of ${traceHead.entries} entries intact`);
    }
  }
  if (problems.length === 0) notes.unshift(`${expected.length + 1} files match the signed manifest`);
  return { ok: problems.length === 0, problems, notes };
}
