import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLICATION, tempDir, trialsim } from '../../support/cli-in-process.js';

/**
 * EVIDENCE.md report.html: opened offline in headless Chromium (Debian's `chromium` package;
 * CI installs it) it renders with no console error and no request beyond the file itself, and
 * shows the cover sheet, the verdict, the traceability matrix, a sequence diagram per scenario
 * and the SMI timeline.
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

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} missing: apt-get install -y chromium`).toBe(true);
  work = await tempDir('report');
  bundle = join(work.path, 'evidence');
  const run = await trialsim(
    'run',
    'scenarios/commissioning.yaml',
    'scenarios/trial-expiry-and-removal.yaml',
    '--out',
    bundle,
    '--application',
    APPLICATION,
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

  it('shows the requirement traceability matrix: every cited requirement, linked to its scenario', async () => {
    const { page } = await open(join(bundle, 'report.html'));
    const results = JSON.parse(await readFile(join(bundle, 'results.json'), 'utf8'));
    const cited = new Set<string>(
      results.scenarios.flatMap((s: { steps: { requirements: string[] }[] }) =>
        s.steps.flatMap((st) => st.requirements),
      ),
    );
    const rows = page.locator('#traceability-matrix tbody tr');
    expect(await rows.count()).toBe(cited.size);
    expect(await page.locator('#traceability-matrix').isVisible()).toBe(true);
    expect(await page.locator('#traceability-matrix').textContent()).toContain('EV-COMMISSION-PRENOTIFY');
    expect(
      await page.locator('#traceability-matrix a[href="#scenario-commissioning"]').count(),
    ).toBeGreaterThan(0);
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

  it('prints: an A4 PDF with one page or more per scenario', async () => {
    const { page } = await open(join(bundle, 'report.html'));
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(4);
    await page.close();
  });

  it('trialsim report re-renders the same page from the bundle', async () => {
    const out = join(work.path, 'again.html');
    const run = await trialsim('report', bundle, '--out', out);
    expect(run.code, run.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(await readFile(join(bundle, 'report.html'), 'utf8'));
  });
});
