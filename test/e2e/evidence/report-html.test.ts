import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIREMENT_CATALOGUE } from '../../../harness/evidence/requirements/requirement-catalogue.js';
import { POLICY_SETTINGS } from '../../../simulator/domain/policy/policy-settings.js';
import { APPLICATION, tempDir, trialsim } from '../../support/cli-in-process.js';

/**
 * EVIDENCE.md report.html: opened offline in headless Chromium (Debian's `chromium` package;
 * CI installs it) it renders with no console error and no request beyond the file itself, and
 * shows the cover sheet, the verdict, whether the evidence covers the application, the test set-up,
 * the requirement catalogue with every requirement's status, the limitations, a sequence diagram
 * per scenario and the SMI timeline.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let work: { path: string; remove: () => Promise<void> };
let browser: Browser;
let bundle: string;
let manufacturerPub: string;

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} missing: apt-get install -y chromium`).toBe(true);
  work = await tempDir('report');
  bundle = join(work.path, 'evidence');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyFile = join(work.path, 'manufacturer.key.pem');
  manufacturerPub = join(work.path, 'manufacturer.pub.pem');
  await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(manufacturerPub, publicKey.export({ type: 'spki', format: 'pem' }));
  const run = await trialsim(
    'run',
    'scenarios/commissioning.yaml',
    'scenarios/trial-expiry-and-removal.yaml',
    '--out',
    bundle,
    '--application',
    APPLICATION,
    '--signing-key',
    keyFile,
  );
  expect(run.code, run.stderr).toBe(0);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await work?.remove();
});

async function open(file: string) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== `file://${file}`) problems.push(`request: ${r.url()}`);
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, problems };
}

describe('report.html in headless Chromium', () => {
  it('renders offline with no console error and no external request', async () => {
    const { page, problems } = await open(join(bundle, 'report.html'));
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(work.path, 'report.png'), fullPage: true });
    await page.close();
  });

  it('shows the cover sheet from the application file and the overall verdict', async () => {
    const { page } = await open(join(bundle, 'report.html'));
    expect(await page.locator('h1').first().textContent()).toBe(
      'Field trial of the ACME-E-TRIAL smart electricity meter',
    );
    const cover = await page.locator('header.cover').textContent();
    for (const text of [
      'Acme Meters Ltd',
      'ACME-E-TRIAL',
      'TRIAL-SSC-0001',
      'Supplier A Energy Ltd',
      'ACME-MVP-0007 rev B',
      'ACME-RA-2027-003',
    ]) {
      expect(cover).toContain(text);
    }
    const verdict = page.locator('#verdict');
    expect(await verdict.isVisible()).toBe(true);
    expect(await verdict.getAttribute('data-verdict')).toBe('passed');
    expect(await verdict.textContent()).toMatch(/Overall verdict: PASSED/);
    await page.close();
  });

  it('says the evidence does not cover the application when every trial device was simulated', async () => {
    const { page } = await open(join(bundle, 'report.html'));
    const coverage = page.locator('header.cover #coverage');
    expect(await coverage.isVisible()).toBe(true);
    expect(await coverage.getAttribute('data-coverage')).toBe('not covered');
    expect(await coverage.textContent()).toMatch(/every trial device was simulated/);
    // A passing run has nothing to say under "what went wrong".
    expect(await page.locator('#what-went-wrong').count()).toBe(0);
    await page.close();
  });

  it('the test set-up names each device as simulated with its Device Model, the broker and the wire', async () => {
    const { page } = await open(join(bundle, 'report.html'));
    const setup = page.locator('#setup');
    expect(await setup.isVisible()).toBe(true);
    const text = (await setup.textContent()) ?? '';
    expect(text).toMatch(/embedded MQTT broker \(aedes\)/);
    expect(text).toContain('Device wire');
    expect(text).toContain('DCC User interface');
    const rows = page.locator('#devices tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(new Set(await page.locator('#devices tbody tr td:first-child').allTextContents())).toEqual(
      new Set(['simulated']),
    );
    expect(await page.locator('#devices').textContent()).toContain('ESME Acme Meters Ltd ACME-E-TRIAL');
    await page.close();
  });

  it('lists every catalogued requirement with its text, what it evidences, and its status for this run', async () => {
    const { page } = await open(join(bundle, 'report.html'));
    const results = JSON.parse(await readFile(join(bundle, 'results.json'), 'utf8'));
    const cited = new Set<string>(
      results.scenarios.flatMap((s: { steps: { requirements: string[] }[] }) =>
        s.steps.flatMap((st) => st.requirements),
      ),
    );
    const rows = page.locator('#traceability-matrix tbody tr');
    expect(await rows.count()).toBe(REQUIREMENT_CATALOGUE.length);
    expect(await page.locator('#traceability-matrix').isVisible()).toBe(true);
    const prenotify = page.locator('#traceability-matrix tr[data-requirement="EV-COMMISSION-PRENOTIFY"]');
    expect(await prenotify.getAttribute('data-status')).toBe('passed');
    expect(await prenotify.textContent()).toContain('SRV 12.2 Device Pre-notification');
    expect(await prenotify.locator('a[href="#scenario-commissioning"]').count()).toBe(1);
    // Not cited by these two scenarios: shown, as not evidenced by this run.
    const cos = page.locator('#traceability-matrix tr[data-requirement="EV-COS-CREDENTIALS"]');
    expect(cited.has('EV-COS-CREDENTIALS')).toBe(false);
    expect(await cos.getAttribute('data-status')).toBe('not evidenced');
    const statuses = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')));
    expect(statuses.filter((x) => x === 'passed').length).toBe(cited.size);
    await page.close();
  });

  it('lists every policy setting of the registry as a limitation, with the value used', async () => {
    const { page } = await open(join(bundle, 'report.html'));
    const rows = page.locator('#limitations-table tbody tr');
    expect(await rows.count()).toBe(POLICY_SETTINGS.length);
    const first = POLICY_SETTINGS[0];
    expect(await page.locator(`#limitations-table tr[data-setting="${first?.id}"]`).textContent()).toContain(
      String(first?.value),
    );
    // The report cites no document the reader does not have.
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toMatch(/\b[A-Z][A-Z-]+\.md\b|\.ts\b|issue \d+/);
    await page.close();
  });

  it('draws a sequence diagram per scenario with one arrow per message, and the SMI timeline', async () => {
    const { page } = await open(join(bundle, 'report.html'));
    const results = JSON.parse(await readFile(join(bundle, 'results.json'), 'utf8'));
    const diagrams = page.locator('svg.sequence');
    expect(await diagrams.count()).toBe(2);
    const first = diagrams.first();
    expect(await first.isVisible()).toBe(true);
    const box = await first.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThan(200);
    expect(await first.locator('g[class^="m-"]').count()).toBe(results.scenarios[0].messageCount);
    expect(await first.locator('.actor-name').allTextContents()).toEqual([
      'supplier-a',
      'DCC',
      'chf1',
      'esme1',
    ]);
    const expiry = page.locator('#scenario-trial-expiry-and-removal svg.timeline');
    expect(await expiry.isVisible()).toBe(true);
    expect(await expiry.locator('rect.overdue').count()).toBeGreaterThan(0);
    expect(await expiry.locator('path.ev-removed').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('trialsim report re-renders the same page from a bundle signed by a key you trust', async () => {
    const out = join(work.path, 'again.html');
    const run = await trialsim('report', bundle, '--out', out, '--trust', manufacturerPub);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(await readFile(join(bundle, 'report.html'), 'utf8'));
  });

  it('trialsim report marks a bundle whose signer you do not trust (exit 4) and refuses one that does not verify (exit 1)', async () => {
    const marked = join(work.path, 'marked.html');
    const run = await trialsim('report', bundle, '--out', marked);
    expect(run.code).toBe(4);
    const { page } = await open(marked);
    expect(await page.locator('#verification').getAttribute('data-integrity')).toBe('true');
    expect(await page.locator('#verification').textContent()).toMatch(/signer not trusted/);
    await page.close();
    const broken = join(work.path, 'broken');
    await cp(bundle, broken, { recursive: true });
    await writeFile(
      join(broken, 'results.json'),
      (await readFile(join(broken, 'results.json'), 'utf8')).replace('"passed"', '"failed"'),
    );
    const refused = join(work.path, 'refused.html');
    const again = await trialsim('report', broken, '--out', refused);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/does not verify, so no report is made/);
    expect(existsSync(refused)).toBe(false);
    // --unverified renders it, under a banner that says it does not verify, and still exits 1.
    const forced = await trialsim('report', broken, '--out', refused, '--unverified');
    expect(forced.code).toBe(1);
    const shown = await open(refused);
    expect(await shown.page.locator('#verification').getAttribute('data-integrity')).toBe('false');
    expect(await shown.page.locator('#verification').textContent()).toMatch(/does not verify/);
    await shown.page.close();
  });
});
