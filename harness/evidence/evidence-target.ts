import { constants } from 'node:fs';
import { access, lstat, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { TrialsimError } from '../../simulator/errors.js';
import { sha256Hex } from './digest.js';
import { EVIDENCE_PREDICATE_TYPE, openEnvelope } from './dsse.js';
import { ENVELOPE_FILE, MANIFEST_FILE, type Manifest } from './manifest.js';
import { publicKeyFromPem, seedSigningKey } from './signing-key.js';

const invalid = (message: string) => new TrialsimError('EVIDENCE_TARGET_INVALID', message);

/**
 * Refuses an `--out` folder unless it is new, empty, or an earlier trialsim bundle, recognised by
 * its own signed manifest: a DSSE envelope whose trialsim statement verifies under the key the
 * manifest names (or the seed's), covering manifest.json, with every entry of the folder a plain
 * file the statement lists. Replacing the folder wholesale must never delete anything else — a
 * folder of source code that happens to hold a results.json is not evidence.
 */
export async function checkEvidenceTarget(target: string): Promise<void> {
  const info = await stat(target).catch(() => undefined);
  if (info === undefined) return;
  if (!info.isDirectory()) throw invalid(`--out ${target} is a file, not a folder`);
  const names = await readdir(target);
  if (names.length === 0) return;
  const notBundle = (why: string) =>
    invalid(
      `--out ${target} is a folder that is not an earlier trialsim evidence bundle (${why}); choose a new or empty folder`,
    );
  if (!names.includes(ENVELOPE_FILE)) throw notBundle(`no ${ENVELOPE_FILE}`);
  const signed = await signedNames(target);
  if (typeof signed === 'string') throw notBundle(signed);
  for (const name of names.sort()) {
    const entry = await lstat(join(target, name));
    if (!entry.isFile()) throw notBundle(`${name} is not a plain file`);
    if (name !== ENVELOPE_FILE && !signed.has(name)) {
      throw notBundle(`${name} is not part of its signed bundle`);
    }
  }
}

/** The file names an earlier bundle's valid signature covers, or why there is none. */
async function signedNames(dir: string): Promise<Set<string> | string> {
  const read = (name: string) => readFile(join(dir, name)).catch(() => undefined);
  const parse = (bytes: Buffer | undefined): unknown => {
    try {
      return bytes === undefined ? undefined : JSON.parse(bytes.toString('utf8'));
    } catch {
      return undefined;
    }
  };
  const envelope = parse(await read(ENVELOPE_FILE));
  const manifestBytes = await read(MANIFEST_FILE);
  const manifest = parse(manifestBytes) as Partial<Manifest> | undefined;
  if (envelope === undefined || manifest === undefined)
    return `no readable ${ENVELOPE_FILE} and ${MANIFEST_FILE}`;
  const keys: Uint8Array[] = [];
  try {
    if (typeof manifest.signing?.publicKey === 'string')
      keys.push(publicKeyFromPem(manifest.signing.publicKey));
  } catch {
    // Falls back to the seed's key below.
  }
  if (typeof manifest.seed === 'string') keys.push(seedSigningKey(manifest.seed).publicKey);
  for (const key of keys) {
    const opened = openEnvelope(envelope, key);
    if (!opened.ok || opened.statement.predicateType !== EVIDENCE_PREDICATE_TYPE) continue;
    const subject = opened.statement.subject.map(
      (s) => s as { name?: unknown; digest?: { sha256?: unknown } },
    );
    const ownManifest = subject.find((s) => s.name === MANIFEST_FILE);
    if (manifestBytes === undefined || sha256Hex(manifestBytes) !== ownManifest?.digest?.sha256) {
      return `${MANIFEST_FILE} is not the one its signature covers`;
    }
    return new Set(subject.map((s) => String(s.name)));
  }
  return `${ENVELOPE_FILE} carries no valid trialsim signature`;
}

/**
 * `--out` and `--junit` are checked before the run starts, so a run never works for an hour and
 * then cannot write: the nearest existing folder on the way must be a folder trialsim may write.
 */
export async function checkWritable(path: string, option: string, kind: 'file' | 'folder'): Promise<void> {
  const abs = resolve(path);
  const existing = await lstat(abs).catch(() => undefined);
  if (existing !== undefined) {
    if (kind === 'file' && existing.isDirectory()) throw invalid(`${option} ${path} is a folder, not a file`);
    if (kind === 'file') await writableOrThrow(abs, option, path);
  }
  // A bundle is replaced by rename, a file may be created: the folder holding it must be writable.
  let dir = dirname(abs);
  for (;;) {
    const info = await stat(dir).catch((err: NodeJS.ErrnoException) => err);
    if (!(info instanceof Error)) {
      if (!info.isDirectory()) throw invalid(`${option} ${path}: ${dir} is a file, not a folder`);
      return writableOrThrow(dir, option, path);
    }
    if (info.code !== 'ENOENT') throw invalid(`${option} ${path}: ${dir} cannot be used (${info.code})`);
    const up = dirname(dir);
    if (up === dir) return;
    dir = up;
  }
}

async function writableOrThrow(where: string, option: string, path: string): Promise<void> {
  try {
    await access(where, constants.W_OK);
  } catch (err) {
    throw invalid(`${option} ${path}: ${where} is not writable (${(err as NodeJS.ErrnoException).code})`);
  }
}
