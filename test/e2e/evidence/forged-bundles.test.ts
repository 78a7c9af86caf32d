import { generateKeyPairSync } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../harness/evidence/digest.js';
import { signStatement } from '../../../harness/evidence/dsse.js';
import {
  keyIdOf,
  loadSigningKey,
  publicKeyPem,
  seedSigningKey,
} from '../../../harness/evidence/signing-key.js';
import { verifyBundle } from '../../../harness/evidence/verify-bundle.js';
import { canonicalJson } from '../../../harness/results/canonical-json.js';
import { tempDir, trialsim } from '../../support/cli-in-process.js';

/**
 * Evidence trust, as an attacker would try it: every forgery below is re-signed the way a forger can
 * (the seed's key, which anyone re-derives, or a key of the forger's own put into manifest.json).
 * None verifies as authentic; the consistent re-signed ones keep their integrity and are named
 * "signer not trusted"; the inconsistent ones fail integrity, naming what does not hold.
 */
const FAILING = 'test/e2e/evidence/fixtures/failing-read.yaml';
let work: { path: string; remove: () => Promise<void> };
let failed: string;
let other: string;
let manufacturerPub: string;
let copies = 0;

beforeAll(async () => {
  work = await tempDir('forge');
  failed = join(work.path, 'failed');
  other = join(work.path, 'other');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyFile = join(work.path, 'manufacturer.key.pem');
  manufacturerPub = join(work.path, 'manufacturer.pub.pem');
  await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(manufacturerPub, publicKey.export({ type: 'spki', format: 'pem' }));
  const run = await trialsim('run', FAILING, '--out', failed, '--seed', 'forge', '--signing-key', keyFile);
  expect(run.code, run.stderr).toBe(1);
  const second = await trialsim('run', 'scenarios/bad-signature.yaml', '--out', other, '--seed', 'forge');
  expect(second.code, second.stderr).toBe(0);
  // The genuine bundle is authentic for a reviewer who trusts the manufacturer's key.
  const genuine = await trialsim('verify', failed, '--trust', manufacturerPub);
  expect(genuine.code, genuine.stdout).toBe(0);
}, 120_000);
afterAll(() => work.remove());

async function copy(from = failed): Promise<string> {
  const dir = join(work.path, `forged-${copies++}`);
  await cp(from, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

// biome-ignore lint/suspicious/noExplicitAny: a forger edits JSON of any shape
type Json = Record<string, any>;

interface Forgery {
  /** Changes the files (names → text) and the manifest before re-hashing. */
  readonly edit?: (files: Map<string, string>, manifest: Json) => void;
  /** Changes the statement after re-hashing, before signing. */
  readonly statement?: (statement: Json) => void;
  readonly key: { privateKey: Uint8Array; publicKey: Uint8Array };
  readonly keySource?: 'file' | 'test-pki-seed';
}

/** What a forger with trialsim's source can do: edit, re-hash everything, re-sign. */
async function forge(dir: string, forgery: Forgery): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Json;
  const files = new Map<string, string>();
  for (const f of manifest.files) files.set(f.path, await readFile(join(dir, f.path), 'utf8'));
  forgery.edit?.(files, manifest);
  for (const [name, text] of files) await writeFile(join(dir, name), text);
  manifest.files = [...files.entries()]
    .map(([path, text]) => ({ path, sha256: sha256Hex(text), bytes: Buffer.byteLength(text) }))
    .sort((a, b) => a.path.localeCompare(b.path));
  manifest.signing.keyId = keyIdOf(forgery.key.publicKey);
  manifest.signing.publicKey = publicKeyPem(forgery.key.publicKey);
  manifest.signing.keySource = forgery.keySource ?? manifest.signing.keySource;
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFile(join(dir, 'manifest.json'), manifestText);
  const statement: Json = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [
      { name: 'manifest.json', digest: { sha256: sha256Hex(manifestText) } },
      ...manifest.files.map((f: Json) => ({ name: f.path, digest: { sha256: f.sha256 } })),
    ],
    predicateType: 'urn:trialsim:predicate:evidence-bundle:v1',
    predicate: {
      runId: manifest.runId,
      seed: manifest.seed,
      tool: manifest.tool,
      verdict: manifest.verdict,
      trace: manifest.trace,
      keySource: manifest.signing.keySource,
    },
  };
  forgery.statement?.(statement);
  const envelope = signStatement(statement as never, forgery.key);
  await writeFile(join(dir, 'manifest.dsse.json'), `${canonicalJson(envelope)}\n`);
}

/** FAILED → PASSED everywhere it is written: results, manifest, signed predicate, summaries. */
function flipToPassed(files: Map<string, string>, manifest: Json): void {
  const results = JSON.parse(files.get('results.json') as string);
  results.verdict = 'passed';
  results.summary = { passed: results.scenarios.length, failed: 0, error: 0, skipped: 0 };
  for (const s of results.scenarios) {
    s.verdict = 'passed';
    delete s.message;
    for (const step of s.steps) step.verdict = 'passed';
  }
  files.set('results.json', `${JSON.stringify(results, null, 2)}\n`);
  files.set('report.html', (files.get('report.html') as string).replaceAll('FAILED', 'PASSED'));
  manifest.verdict = 'passed';
  manifest.summary = results.summary;
}

const foreignKey = async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const file = join(work.path, `forger-${copies}.key.pem`);
  await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return loadSigningKey(file);
};

async function verifyCli(dir: string, ...args: string[]) {
  return trialsim('verify', dir, '--trust', manufacturerPub, ...args);
}

describe('forged bundles: none verifies as authentic', () => {
  it('FAILED edited to PASSED and re-signed with the public seed key → integrity holds; signer not trusted, derived from a public seed (exit 4)', async () => {
    const dir = await copy();
    await forge(dir, { edit: flipToPassed, key: seedSigningKey('forge'), keySource: 'test-pki-seed' });
    const outcome = await verifyBundle(dir);
    expect(outcome.integrity.problems).toEqual([]);
    expect(outcome.authenticity).toMatchObject({ status: 'untrusted', signer: { publicSeed: 'forge' } });
    const run = await verifyCli(dir);
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(
      /^integrity holds; signer not trusted: key [0-9a-f]{64}, derived from a public seed/,
    );
  });

  it('re-signed with a key the forger put into manifest.json → signer not trusted: key <fingerprint> (exit 4)', async () => {
    const dir = await copy();
    const key = await foreignKey();
    await forge(dir, { edit: flipToPassed, key, keySource: 'file' });
    const run = await verifyCli(dir);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain(`integrity holds; signer not trusted: key ${keyIdOf(key.publicKey)}:`);
    expect(run.stdout).not.toMatch(/public seed/);
    expect((await verifyBundle(dir)).ok).toBe(false);
  });

  it('a statement that lists only manifest.json, with garbage beside it → integrity fails naming each unsigned file (exit 1)', async () => {
    const dir = await copy();
    await writeFile(join(dir, 'garbage.bin'), 'not evidence\n');
    await forge(dir, {
      key: seedSigningKey('forge'),
      keySource: 'test-pki-seed',
      statement: (s) => {
        s.subject = s.subject.filter((x: Json) => x.name === 'manifest.json');
      },
    });
    const outcome = await verifyBundle(dir);
    expect(outcome.ok).toBe(false);
    expect(outcome.integrity.problems).toContain(
      'results.json: listed in manifest.json but not in the signed statement',
    );
    expect(outcome.integrity.problems).toContainEqual(
      expect.stringMatching(/^garbage\.bin: not part of the signed bundle/),
    );
    expect((await verifyCli(dir)).code).toBe(1);
  });

  it('a subject path ../other/results.json → refused as outside the folder, never read (exit 1)', async () => {
    const dir = await copy();
    await forge(dir, {
      key: seedSigningKey('forge'),
      keySource: 'test-pki-seed',
      statement: (s) => {
        const other = s.subject.find((x: Json) => x.name === 'results.json');
        other.name = '../other/results.json';
      },
    });
    const outcome = await verifyBundle(dir);
    expect(outcome.ok).toBe(false);
    expect(outcome.integrity.problems).toContainEqual(
      expect.stringMatching(/names "\.\.\/other\/results\.json", which is not a file of this folder/),
    );
    expect((await verifyCli(dir)).code).toBe(1);
  });

  it('a planted file re-signed into the bundle with the seed key → signer not trusted; without re-signing → not part of the signed bundle', async () => {
    const planted = await copy();
    await writeFile(join(planted, 'conformance.json'), '{"verdict":"passed"}\n');
    expect((await verifyBundle(planted)).integrity.problems).toEqual([
      expect.stringMatching(/^conformance\.json: not part of the signed bundle/),
    ]);
    await forge(planted, {
      key: seedSigningKey('forge'),
      keySource: 'test-pki-seed',
      edit: (files) => files.set('conformance.json', '{"verdict":"passed"}\n'),
    });
    const run = await verifyCli(planted);
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/signer not trusted/);
  });

  it('results.json swapped in from another run and re-signed → integrity fails: run id and counts differ (exit 1)', async () => {
    const dir = await copy();
    const swapped = await readFile(join(other, 'results.json'), 'utf8');
    await forge(dir, {
      key: seedSigningKey('forge'),
      keySource: 'test-pki-seed',
      edit: (files) => files.set('results.json', swapped),
    });
    const outcome = await verifyBundle(dir);
    expect(outcome.ok).toBe(false);
    expect(outcome.integrity.problems).toContainEqual(expect.stringMatching(/^run id differs: /));
    expect(outcome.integrity.problems).toContainEqual(expect.stringMatching(/^message count differs: /));
    expect(outcome.authenticity.status).toBe('untrusted');
    expect((await verifyCli(dir)).code).toBe(1);
  });

  it('a listed file replaced by a link, or a sub-folder added → integrity fails naming it', async () => {
    const dir = await copy();
    await rm(join(dir, 'summary.md'));
    await symlink(join(failed, 'summary.md'), join(dir, 'summary.md'));
    await mkdir(join(dir, 'extra'));
    const problems = (await verifyBundle(dir)).integrity.problems;
    expect(problems).toContain('summary.md: a link (a bundle holds plain files only)');
    expect(problems).toContain('extra: a folder (a bundle holds plain files only)');
  });

  it('the genuine bundle stays untouched by all of this', async () => {
    expect((await readdir(failed)).sort()).toContain('manifest.dsse.json');
    expect((await verifyCli(failed)).code).toBe(0);
  });
});
