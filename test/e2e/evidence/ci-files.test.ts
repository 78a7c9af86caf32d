import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validate } from 'ctrf';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctrfReport } from '../../../harness/evidence/ctrf-json.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../harness/evidence/report/report-pdf.js';
import type { RunResults } from '../../../harness/results/result-types.js';
import { tempDir, trialsim } from '../../support/cli-in-process.js';
import { xmlProblems } from '../../support/xml-problems.js';

/**
 * The CI files of a bundle validate: ctrf.json against the CTRF schema with the `ctrf` package's
 * own validator, junit.xml well-formed with the file and line of the step that failed.
 */
const FAILING = 'test/e2e/evidence/fixtures/failing-read.yaml';
let work: { path: string; remove: () => Promise<void> };
let bundle: string;
let junitOut: string;
let failingLine: number;

beforeAll(async () => {
  work = await tempDir('ci-files');
  bundle = join(work.path, 'evidence');
  junitOut = join(work.path, 'ci', 'junit.xml');
  const run = await trialsim(
    'run',
    'scenarios/commissioning.yaml',
    FAILING,
    '--out',
    bundle,
    '--junit',
    junitOut,
  );
  expect(run.code, run.stderr).toBe(1);
  // The step that fails, found in the file by its text: 1-based line.
  const lines = (await readFile(FAILING, 'utf8')).split('\n');
  failingLine = lines.findIndex((l) => l.includes('- title: read the firmware version')) + 1;
  expect(failingLine).toBeGreaterThan(0);
}, 90_000);
afterAll(() => work.remove());

describe('ctrf.json', () => {
  it('is valid CTRF by the ctrf package validator, one test per step', async () => {
    const report = JSON.parse(await readFile(join(bundle, 'ctrf.json'), 'utf8'));
    const check = validate(report);
    expect(check.errors).toEqual([]);
    expect(check.valid).toBe(true);
    const results: RunResults = JSON.parse(await readFile(join(bundle, 'results.json'), 'utf8'));
    const steps = results.scenarios.flatMap((s) => s.steps);
    expect(report.results.tests).toHaveLength(steps.length);
    expect(report.results.summary).toMatchObject({
      tests: steps.length,
      passed: steps.filter((s) => s.verdict === 'passed').length,
      failed: steps.filter((s) => s.verdict === 'failed' || s.verdict === 'error').length,
      skipped: steps.filter((s) => s.verdict === 'skipped').length,
    });
  });

  it('the failing step carries its scenario file, line, message and requirement', async () => {
    const report = JSON.parse(await readFile(join(bundle, 'ctrf.json'), 'utf8'));
    const failed = report.results.tests.filter((t: { status: string }) => t.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      suite: ['failing-read'],
      filePath: FAILING,
      line: failingLine,
      tags: expect.arrayContaining(['EV-OPERATION-READ']),
    });
    expect(failed[0].message).toMatch(/E21|I0/);
  });

  it('a report the validator rejects would be caught: the same builder output with a broken field fails', async () => {
    const results: RunResults = JSON.parse(await readFile(join(bundle, 'results.json'), 'utf8'));
    const report = JSON.parse(JSON.stringify(ctrfReport(results)));
    expect(validate(report).valid).toBe(true);
    report.results.tests[0].suite = 'not-an-array';
    expect(validate(report).valid).toBe(false);
  });
});

describe('junit.xml', () => {
  it('is well-formed, in the bundle and at --junit, and names the file and line of the failing step', async () => {
    for (const file of [join(bundle, 'junit.xml'), junitOut]) {
      const xml = await readFile(file, 'utf8');
      expect(xmlProblems(xml)).toEqual([]);
      expect(xml).toMatch(
        new RegExp(
          `<testcase name="failing-read: [^"]*" classname="[^"]*" file="${FAILING}" line="${failingLine}" `,
        ),
      );
      expect(xml).toContain(`message="${FAILING}:${failingLine}: step 3`);
      // The passing scenario names its file but no failing line.
      expect(xml).toMatch(
        /<testcase name="commissioning: [^"]*" classname="[^"]*" file="scenarios\/commissioning.yaml" time=/,
      );
    }
  });
});

describe('report.html of a failed run, in Chromium', () => {
  it('the cover says what went wrong: the scenario, the deciding step, its requirement, expected and actual', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(`file://${join(bundle, 'report.html')}`, { waitUntil: 'load' });
      expect(await page.locator('#verdict').getAttribute('data-verdict')).toBe('failed');
      const box = page.locator('header.cover #what-went-wrong');
      expect(await box.isVisible()).toBe(true);
      expect(await box.locator('li').count()).toBe(1);
      const text = (await box.textContent()) ?? '';
      expect(text).toContain('A trial ESME that answers a read with garbage');
      expect(text).toContain('step 3: read the firmware version');
      expect(text).toContain('EV-OPERATION-READ');
      expect(text).toMatch(/expected .*I0/);
      expect(text).toMatch(/actual .*E21/);
      expect(await box.locator('a[href="#scenario-failing-read"]').count()).toBe(1);
      // The requirement the failing step cites is failed in the catalogue.
      expect(
        await page
          .locator('#traceability-matrix tr[data-requirement="EV-OPERATION-READ"]')
          .getAttribute('data-status'),
      ).toBe('failed');
    } finally {
      await browser.close();
    }
  });
});
