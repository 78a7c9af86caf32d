import { generateKeyPairSync } from 'node:crypto';
import { cp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../harness/evidence/digest.js';
import { verifyBundle } from '../../../harness/evidence/verify-bundle.js';
import { canonicalJson } from '../../../harness/results/canonical-json.js';
import { APPLICATION, tempDir, trialsim } from '../../support/cli-in-process.js';

/**
 * EVIDENCE.md "trialsim verify": every kind of change to a bundle — each file kind altered, a
 * file deleted or added, the trace edited, cut or re-chained, the signature or signed payload
 * touched — makes verify fail with a message naming the file and, for the trace, the entry.
 */
let work: { path: string; remove: () => Promise<void> };
let pristine: string;
let copies = 0;

beforeAll(async () => {
  work = await tempDir('verify');
  pristine = join(work.path, 'pristine');
  const run = await trialsim(
    'run',
    'scenarios/commissioning.yaml',
    '--out',
    pristine,
    '--seed',
    'verify-test',
    '--application',
    APPLICATION,
  );
  expect(run.code, run.stderr).toBe(0);
}, 60_000);
afterAll(() => work.remove());

/** A fresh copy of the pristine bundle to tamper with. */
async function copy(): Promise<string> {
  const dir = join(work.path, `copy-${copies++}`);
  await cp(pristine, dir, { recursive: true });
  return dir;
}

async function edit(path: string, change: (text: string) => string): Promise<void> {
  const before = await readFile(path, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(path, after);
}

async function traceLines(dir: string): Promise<string[]> {
  return (await readFile(join(dir, 'trace.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');
}

async function problemsOf(dir: string): Promise<string[]> {
  const outcome = await verifyBundle(dir);
  expect(outcome.integrity.ok).toBe(false);
  expect(outcome.ok).toBe(false);
  return [...outcome.integrity.problems];
}

describe('trialsim verify — an intact bundle', () => {
  it('integrity holds, but a seed-derived signer is not trusted: exit 4, naming the key and the public seed', async () => {
    const run = await trialsim('verify', pristine);
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(
      /^integrity holds; signer not trusted: key [0-9a-f]{64}, derived from a public seed \("verify-test"\)/,
    );
    expect(run.stdout).toMatch(/hash chain of \d+ entries intact/);
    const ci = await trialsim('verify', pristine, '--integrity-only');
    expect(ci.code).toBe(0);
  });

  it('holds every promised file, each listed with its SHA-256 in the manifest', async () => {
    const manifest = JSON.parse(await readFile(join(pristine, 'manifest.json'), 'utf8'));
    const names = manifest.files.map((f: { path: string }) => f.path).sort();
    expect(names).toEqual(
      [
        'RESULTS-SCHEMA.md',
        'application.yaml',
        'ctrf.json',
        'junit.xml',
        'report.html',
        'results.json',
        'summary.md',
        'trace.jsonl',
      ].sort(),
    );
    for (const f of manifest.files) {
      expect(sha256Hex(await readFile(join(pristine, f.path)))).toBe(f.sha256);
    }
    expect(manifest.inputs.scenarios[0].path).toBe('scenarios/commissioning.yaml');
    expect(manifest.inputs.fixtures.length).toBeGreaterThan(0);
    expect(manifest.inputs.application.sha256).toBe(sha256Hex(await readFile(APPLICATION)));
    expect(Object.keys(manifest.nonReproducible.environment)).toEqual(['node', 'platform', 'arch']);
  });
});

describe('trialsim verify — altered files are named', () => {
  it('results.json altered → "results.json: altered", exit 1 from the CLI', async () => {
    const dir = await copy();
    await edit(join(dir, 'results.json'), (t) => t.replace('"verdict": "passed"', '"verdict": "failed"'));
    expect((await problemsOf(dir))[0]).toMatch(/^results\.json: altered/);
    const run = await trialsim('verify', dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/NOT VERIFIED/);
    expect(run.stdout).toMatch(/- results\.json: altered/);
  });

  it('report.html altered → "report.html: altered"', async () => {
    const dir = await copy();
    await edit(join(dir, 'report.html'), (t) =>
      t.replace('PASSED — every scenario passed', 'PASSED — all good'),
    );
    expect(await problemsOf(dir)).toEqual([expect.stringMatching(/^report\.html: altered/)]);
  });

  it('summary.md, junit.xml and ctrf.json altered → each named', async () => {
    for (const name of ['summary.md', 'junit.xml', 'ctrf.json']) {
      const dir = await copy();
      await edit(join(dir, name), (t) => `${t} `);
      expect(await problemsOf(dir)).toEqual([
        expect.stringMatching(new RegExp(`^${name.replace('.', '\\.')}: altered`)),
      ]);
    }
  });

  it('manifest.json altered → "manifest.json: altered" (it no longer matches the signed statement)', async () => {
    const dir = await copy();
    await edit(join(dir, 'manifest.json'), (t) => t.replace('"verdict": "passed"', '"verdict": "failed"'));
    expect((await problemsOf(dir))[0]).toMatch(/^manifest\.json: altered/);
  });

  it('signature altered → "manifest.dsse.json: the signature does not verify"', async () => {
    const dir = await copy();
    const envelope = JSON.parse(await readFile(join(dir, 'manifest.dsse.json'), 'utf8'));
    const sig = Buffer.from(envelope.signatures[0].sig, 'base64');
    sig[sig.length - 3] = (sig[sig.length - 3] as number) ^ 0x01;
    envelope.signatures[0].sig = sig.toString('base64');
    await writeFile(join(dir, 'manifest.dsse.json'), `${canonicalJson(envelope)}\n`);
    const problems = await problemsOf(dir);
    expect(problems[0]).toMatch(/^manifest\.dsse\.json: the signature does not verify/);
  });

  it('signed statement altered (a file digest swapped for the altered file) → the signature does not verify', async () => {
    const dir = await copy();
    await edit(join(dir, 'results.json'), (t) => t.replace('"verdict": "passed"', '"verdict": "failed"'));
    const envelope = JSON.parse(await readFile(join(dir, 'manifest.dsse.json'), 'utf8'));
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8'));
    for (const s of statement.subject) {
      if (s.name === 'results.json') s.digest.sha256 = sha256Hex(await readFile(join(dir, 'results.json')));
    }
    envelope.payload = Buffer.from(canonicalJson(statement)).toString('base64');
    await writeFile(join(dir, 'manifest.dsse.json'), `${canonicalJson(envelope)}\n`);
    const problems = await problemsOf(dir);
    expect(problems[0]).toMatch(/^manifest\.dsse\.json: the signature does not verify/);
    // Falling back to the (unsigned) manifest, the altered file is still named.
    expect(problems).toContainEqual(expect.stringMatching(/^results\.json: altered/));
  });

  it('the envelope re-serialised or its keyid changed → "manifest.dsse.json: altered"', async () => {
    const dir = await copy();
    const envelope = JSON.parse(await readFile(join(dir, 'manifest.dsse.json'), 'utf8'));
    await writeFile(join(dir, 'manifest.dsse.json'), JSON.stringify(envelope, null, 2));
    expect(await problemsOf(dir)).toEqual([
      expect.stringMatching(/^manifest\.dsse\.json: altered \(not byte for byte/),
    ]);
    envelope.signatures[0].keyid = '0'.repeat(64);
    await writeFile(join(dir, 'manifest.dsse.json'), `${canonicalJson(envelope)}\n`);
    expect(await problemsOf(dir)).toEqual([
      expect.stringMatching(/^manifest\.dsse\.json: the signature verifies but its keyid was altered/),
    ]);
  });

  it('a file deleted → "<name>: missing"; the envelope deleted → unsigned or interrupted', async () => {
    const dir = await copy();
    await unlink(join(dir, 'summary.md'));
    expect(await problemsOf(dir)).toEqual(['summary.md: missing']);
    const unsigned = await copy();
    await unlink(join(unsigned, 'manifest.dsse.json'));
    expect((await problemsOf(unsigned))[0]).toMatch(/^manifest\.dsse\.json: missing/);
    const noManifest = await copy();
    await unlink(join(noManifest, 'manifest.json'));
    expect(await problemsOf(noManifest)).toEqual(['manifest.json: missing']);
  });

  it('a file added after signing → "<name>: not part of the signed bundle"', async () => {
    const dir = await copy();
    await writeFile(join(dir, 'extra-evidence.txt'), 'trust me\n');
    expect(await problemsOf(dir)).toEqual([
      expect.stringMatching(/^extra-evidence\.txt: not part of the signed bundle/),
    ]);
  });

  it('trusting a different key (--trust) leaves integrity whole and the signer untrusted (exit 4)', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const file = join(work.path, 'someone-else.pub.pem');
    await writeFile(file, publicKey.export({ type: 'spki', format: 'pem' }));
    const run = await trialsim('verify', pristine, '--trust', file);
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/integrity: holds/);
    expect(run.stdout).toMatch(/signer not trusted/);
  });
});

describe('trialsim verify — the trace hash chain names the entry', () => {
  it('an entry edited → "entry N was altered"', async () => {
    const dir = await copy();
    const lines = await traceLines(dir);
    lines[4] = (lines[4] as string).replace(/"summary":"[^"]*"/, '"summary":"nothing happened"');
    await writeFile(join(dir, 'trace.jsonl'), `${lines.join('\n')}\n`);
    const problems = await problemsOf(dir);
    expect(problems).toContain("trace.jsonl: entry 5 was altered (entry 6's prev hash does not match it)");
    expect(problems).toContainEqual(expect.stringMatching(/^trace\.jsonl: altered/));
  });

  it('an entry removed → "entry N was removed"', async () => {
    const dir = await copy();
    const lines = await traceLines(dir);
    lines.splice(6, 1);
    await writeFile(join(dir, 'trace.jsonl'), `${lines.join('\n')}\n`);
    expect(await problemsOf(dir)).toContain('trace.jsonl: entry 7 was removed (line 7 holds entry 8)');
  });

  it('cut short → "cut short: K of N entries remain"', async () => {
    const dir = await copy();
    const lines = await traceLines(dir);
    await writeFile(join(dir, 'trace.jsonl'), `${lines.slice(0, 10).join('\n')}\n`);
    expect(await problemsOf(dir)).toContain(
      `trace.jsonl: cut short: 10 of ${lines.length} entries remain (entries 11–${lines.length} are missing)`,
    );
  });

  it('cut mid-line → "the last line is incomplete"', async () => {
    const dir = await copy();
    const text = await readFile(join(dir, 'trace.jsonl'), 'utf8');
    await writeFile(join(dir, 'trace.jsonl'), text.slice(0, text.length - 40));
    expect(await problemsOf(dir)).toContain('trace.jsonl: the last line is incomplete (the file was cut)');
  });

  it('the last entry edited → named as the last entry (no successor carries its hash)', async () => {
    const dir = await copy();
    const lines = await traceLines(dir);
    const n = lines.length;
    lines[n - 1] = (lines[n - 1] as string).replace(/"at":"[^"]*"/, '"at":"2030-01-01T00:00:00.000Z"');
    await writeFile(join(dir, 'trace.jsonl'), `${lines.join('\n')}\n`);
    expect(await problemsOf(dir)).toContainEqual(
      expect.stringMatching(new RegExp(`^trace\\.jsonl: entry ${n} \\(the last\\) was altered`)),
    );
  });

  it('an entry edited and the whole chain recomputed → still caught by the signed head', async () => {
    const dir = await copy();
    const parsed = (await traceLines(dir)).map((l) => JSON.parse(l));
    parsed[2].summary = 'forged';
    let prev = '0'.repeat(64);
    const rechained = parsed.map((entry) => {
      const line = canonicalJson({ ...entry, prev });
      prev = sha256Hex(line);
      return line;
    });
    await writeFile(join(dir, 'trace.jsonl'), `${rechained.join('\n')}\n`);
    const problems = await problemsOf(dir);
    expect(problems).toContainEqual(expect.stringMatching(/^trace\.jsonl: altered/));
    expect(problems).toContainEqual(expect.stringMatching(/the chain was recomputed/));
  });
});

describe('signing with the manufacturer key (--signing-key)', () => {
  it('signs with the given P-256 key; verify --key with its public half passes, another key fails', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keyFile = join(work.path, 'manufacturer.key.pem');
    const pubFile = join(work.path, 'manufacturer.pub.pem');
    await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await writeFile(pubFile, publicKey.export({ type: 'spki', format: 'pem' }));
    const out = join(work.path, 'signed-by-file');
    const run = await trialsim('run', 'scenarios/bad-signature.yaml', '--out', out, '--signing-key', keyFile);
    expect(run.code, run.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.signing.keySource).toBe('file');
    const ok = await trialsim('verify', out, '--trust', pubFile);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/^verified: integrity holds; signed by trusted key/);
    expect((await trialsim('verify', out, '--key', pubFile)).code).toBe(0);
    // Without the reviewer's trust the same bundle is intact but not authentic.
    expect((await trialsim('verify', out)).code).toBe(4);
    const wrong = await trialsim('verify', pristine, '--trust', pubFile);
    expect(wrong.code).toBe(4);
    await rm(out, { recursive: true, force: true });
  }, 60_000);

  it('a signing key that is not P-256 is refused before anything runs (exit 2)', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const keyFile = join(work.path, 'p384.key.pem');
    await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const run = await trialsim(
      'run',
      'scenarios/commissioning.yaml',
      '--out',
      join(work.path, 'never'),
      '--signing-key',
      keyFile,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/must be an ECDSA P-256 key/);
  });
});

describe('trialsim verify — property: any one flipped byte in any file is caught and the file named', () => {
  it('flips a byte at a random place of a random bundle file', async () => {
    const names = (await import('node:fs/promises')).readdir(pristine);
    const files = (await names).sort();
    const dir = await copy();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...files),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (name, at, mask) => {
          const original = await readFile(join(pristine, name));
          const changed = Buffer.from(original);
          const i = at % changed.length;
          changed[i] = (changed[i] as number) ^ mask;
          await writeFile(join(dir, name), changed);
          try {
            const outcome = await verifyBundle(dir);
            expect(outcome.integrity.ok).toBe(false);
            // A flipped envelope byte may break the signature, the JSON or the base64: all name the envelope.
            expect(
              outcome.integrity.problems.some((p) => p.startsWith(`${name}:`)),
              outcome.integrity.problems.join('; '),
            ).toBe(true);
          } finally {
            await writeFile(join(dir, name), original);
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  }, 60_000);
});
