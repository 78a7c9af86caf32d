import { X509Certificate } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvidenceBundleReporter } from '../../../harness/evidence/bundle-reporter.js';
import { seedSigningKey } from '../../../harness/evidence/signing-key.js';
import { verifyBundle } from '../../../harness/evidence/verify-bundle.js';
import { SCENARIOS_DIR } from '../../../harness/package-root.js';
import type { RunResults } from '../../../harness/results/result-types.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { runSuite } from '../../../harness/suite/run-suite.js';
import { decimalSerial, verifyDuis } from '../../../simulator/adapters/duis-http/xml-signature.js';

/** Every HTTP body the process's servers received or sent: what went over HTTP, seen apart from the trace. */
const onTheWire: string[] = [];
const SERVER_START = 'http.server.request.start';
function record(message: unknown): void {
  const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => onTheWire.push(Buffer.concat(chunks).toString('utf8')));
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.end = ((...args: unknown[]) => {
    if (typeof args[0] === 'string' || Buffer.isBuffer(args[0])) onTheWire.push(String(args[0]));
    return end(...args);
  }) as ServerResponse['end'];
}

const SEED = 'duis-evidence';
let dir: string;
let results: RunResults;
let stack: SimStack | undefined;
let bundleFiles: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-duis-evidence-'));
  const scenario = join(SCENARIOS_DIR, 'commissioning.yaml');
  subscribe(SERVER_START, record);
  const out = join(dir, 'evidence');
  results = await runSuite({
    files: [scenario],
    seed: SEED,
    usersOver: 'duis',
    onStackStarted: async (s) => {
      stack = s;
    },
    reporters: [
      new EvidenceBundleReporter({ outDir: out, seed: SEED, signingKey: seedSigningKey(SEED), bail: false }),
    ],
  });
  unsubscribe(SERVER_START, record);
  dir = out;
  bundleFiles = (await readdir(out)).filter((f) => f.startsWith('duis.')).sort();
}, 240_000);

afterAll(() => unsubscribe(SERVER_START, record));

describe('the evidence keeps the signed DUIS XML each User exchanged (duis.<scenario>.*.xml)', () => {
  it('the scenario passed over DUIS and the bundle, DUIS files included, verifies', async () => {
    expect(results.verdict).toBe('passed');
    const outcome = await verifyBundle(dir);
    expect(outcome.integrity.ok, JSON.stringify(outcome.integrity)).toBe(true);
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
      files: { path: string }[];
    };
    const listed = new Set(manifest.files.map((f) => f.path));
    expect(bundleFiles.filter((f) => !listed.has(f))).toEqual([]);
  });

  it('each kept file is byte-identical to a body that went over HTTP, and every DUIS body that did is kept', async () => {
    const xmlFiles = bundleFiles.filter((f) => f.endsWith('.xml'));
    expect(xmlFiles.length).toBeGreaterThanOrEqual(12);
    const kept = await Promise.all(xmlFiles.map((f) => readFile(join(dir, f), 'utf8')));
    const wire = new Set(onTheWire);
    expect(xmlFiles.filter((_, i) => !wire.has(kept[i] as string))).toEqual([]);
    const duisOnTheWire = onTheWire.filter(
      (b) => b.startsWith('<sr:Request') || b.startsWith('<sr:Response'),
    );
    const keptSet = new Set(kept);
    expect(duisOnTheWire.filter((b) => !keptSet.has(b))).toEqual([]);
    // Requests, synchronous answers and callbacks, CV 4 and CV 5 of the critical 8.1.1 among them.
    for (const kind of ['request', 'response', 'callback'])
      expect(xmlFiles.some((f) => f.endsWith(`.${kind}.xml`))).toBe(true);
    expect(kept.some((x) => x.includes('<sr:CommandVariant>4</sr:CommandVariant>'))).toBe(true);
    expect(kept.some((x) => x.includes('<sr:SignedPreCommand>'))).toBe(true);
  });

  it("each kept file still verifies: requests under the User's XmlSign certificate, answers under the DSP XmlSign certificate", async () => {
    if (stack === undefined) throw new Error('the run gave no stack');
    const certificates = stack.pki.organisations.flatMap((o) =>
      o.xmlSign === undefined ? [] : [new X509Certificate(o.xmlSign.der)],
    );
    const bySerial = (serial: string) => certificates.find((c) => decimalSerial(c) === serial);
    const problems: string[] = [];
    for (const file of bundleFiles.filter((f) => f.endsWith('.xml'))) {
      const xml = await readFile(join(dir, file), 'utf8');
      const verdict = verifyDuis(xml, bySerial);
      if (!verdict.ok) problems.push(`${file}: ${verdict.problem}`);
      // A change to the content is caught: the check has teeth.
      if (verifyDuis(xml.replace('</sr:Header>', '<sr:X/></sr:Header>'), bySerial).ok)
        problems.push(`${file}: still verifies after a change`);
    }
    expect(problems).toEqual([]);
  });

  it('the index names each file with its RequestID, kind, trace entry and SHA-256', async () => {
    const indexFile = bundleFiles.find((f) => f.endsWith('.index.json'));
    expect(indexFile).toBe('duis.commissioning.index.json');
    const index = JSON.parse(await readFile(join(dir, indexFile as string), 'utf8')) as {
      file: string;
      id: string;
      kind: string;
      traceSeq: number;
      sha256: string;
    }[];
    expect(index.map((e) => e.file).sort()).toEqual(bundleFiles.filter((f) => f.endsWith('.xml')));
    for (const e of index) {
      expect(e.file).toContain(e.id.replaceAll('-', '').replaceAll(':', '_'));
      expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(e.traceSeq).toBeGreaterThan(0);
    }
  });
});
