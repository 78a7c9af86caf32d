import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS, pdfPageCount } from '../../../harness/evidence/report/report-pdf.js';
import type { RunResults } from '../../../harness/results/result-types.js';
import { APPLICATION, tempDir, trialsim } from '../../support/cli-in-process.js';

/**
 * `trialsim report DIR --pdf FILE` for the built-in suite (every scenario in scenarios/, as
 * `npm start` runs it) with the example application: printed through headless Chromium, A4,
 * "page N of M" on every page. The PDF is read back with poppler's pdfinfo and pdftotext
 * (Debian's poppler-utils; CI installs it), not with the code that wrote it.
 */
let work: { path: string; remove: () => Promise<void> };
let bundle: string;
let pdf: string;
let html: string;
let results: RunResults;
let reported: { code: number; stdout: string; stderr: string };

const tool = (name: string, ...args: string[]) => execFileSync(name, args, { encoding: 'utf8' });

beforeAll(async () => {
  for (const t of ['/usr/bin/pdfinfo', '/usr/bin/pdftotext', CHROMIUM]) {
    expect(existsSync(t), `${t} missing: apt-get install -y poppler-utils chromium`).toBe(true);
  }
  work = await tempDir('report-pdf');
  bundle = join(work.path, 'evidence');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = join(work.path, 'manufacturer.key.pem');
  const pub = join(work.path, 'manufacturer.pub.pem');
  await writeFile(key, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  await writeFile(pub, publicKey.export({ type: 'spki', format: 'pem' }));
  const run = await trialsim('run', '--out', bundle, '--application', APPLICATION, '--signing-key', key);
  expect(run.code, run.stderr).toBe(0);
  results = JSON.parse(await readFile(join(bundle, 'results.json'), 'utf8'));
  pdf = join(work.path, 'report.pdf');
  html = join(work.path, 'report.html');
  reported = await trialsim('report', bundle, '--trust', pub, '--pdf', pdf, '--out', html);
}, 600_000);
afterAll(() => work?.remove());

describe('trialsim report --pdf for the built-in suite', () => {
  it('runs every scenario of the built-in suite', async () => {
    const files = tool('ls', 'scenarios')
      .split('\n')
      .filter((f) => f.endsWith('.yaml'));
    expect(results.scenarios.map((s) => s.file).sort()).toEqual(files.map((f) => `scenarios/${f}`).sort());
  });

  it('exits 0 for a bundle signed by a trusted key and says how many pages it printed', () => {
    expect(reported.code, reported.stderr + reported.stdout).toBe(0);
    expect(reported.stdout).toMatch(/^pdf: .*report\.pdf \(\d+ pages, A4\)$/m);
  });

  it('is an A4 PDF whose page count is the one reported, a page or more per scenario', async () => {
    const info = tool('pdfinfo', pdf);
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    expect(info).toMatch(/^Page size:\s+595\.\d+ x 84[12]\.\d+ pts \(A4\)/m);
    expect(pages).toBe(Number(/\((\d+) pages, A4\)/.exec(reported.stdout)?.[1]));
    expect(pages).toBe(pdfPageCount(await readFile(pdf)));
    // Cover, set-up, requirements and limitations, then each scenario starts a page.
    expect(pages).toBeGreaterThanOrEqual(results.scenarios.length + 4);
  });

  it('numbers every page "page N of M" in the footer', () => {
    const pages = tool('pdftotext', '-layout', pdf, '-')
      .split('\f')
      .filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(results.scenarios.length);
    pages.forEach((text, i) => {
      expect(text, `page ${i + 1}`).toContain(`page ${i + 1} of ${pages.length}`);
    });
  });

  it('the first page is the cover: the application, the verdict and whether the evidence covers it', () => {
    const first = tool('pdftotext', '-f', '1', '-l', '1', '-layout', pdf, '-');
    expect(first).toContain('Field trial of the ACME-E-TRIAL smart electricity meter');
    expect(first).toMatch(/Overall verdict: PASSED/);
    expect(first).toContain('The evidence does not cover the application.');
  });
});

describe('the same report in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(() => browser?.close());

  it('summarises a 100-device fleet as a table instead of drawing it, and draws the small scenarios', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${html}`, { waitUntil: 'load' });
    const fleet = page.locator('#scenario-full-trial-100');
    expect(await fleet.locator('svg.sequence').count()).toBe(0);
    expect(await fleet.locator('table.flow-summary').isVisible()).toBe(true);
    expect(await fleet.locator('table.flow-summary').textContent()).toMatch(/ESME devices \(\d{3}\)/);
    expect(await page.locator('#scenario-commissioning svg.sequence').count()).toBe(1);
    await page.close();
  });
});
