import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applicationCoverage } from '../../../../harness/evidence/application-coverage.js';
import { type Application, parseApplication } from '../../../../harness/evidence/application-file.js';
import type { ScenarioResult } from '../../../../harness/results/result-types.js';
import type { TestedDevice } from '../../../../harness/results/scenario-evidence-types.js';

/**
 * The application is bound to what was tested: the evidence covers it only when a device under
 * test of exactly its Device Model ran exactly its firmware image, and no trial device of another
 * model stood in for it.
 */
const FILE = 'fixtures/application/example-application.yaml';
const HASH = 'ab'.repeat(32);
const base = parseApplication(readFileSync(FILE, 'utf8'), FILE);
const app: Application = { ...base, deviceModel: { ...base.deviceModel, firmwareImageHash: HASH } };

/** A device; a field given as undefined is left out. */
const device = (over: { [K in keyof TestedDevice]?: TestedDevice[K] | undefined } = {}): TestedDevice =>
  JSON.parse(
    JSON.stringify({
      id: 'esme1',
      eui: '00-00-00-00-00-00-00-01',
      deviceType: 'ESME',
      role: 'device under test',
      manufacturer: 'Acme Meters Ltd',
      model: 'ACME-E-TRIAL',
      hardwareVersion: '1.0',
      firmwareVersion: '0.9.0',
      firmwareImageHash: HASH,
      trialId: 'T-0001',
      ...over,
    }),
  );
const run = (...devices: TestedDevice[]) => ({
  scenarios: [{ id: 'commissioning', devices } as unknown as ScenarioResult],
});

describe('application coverage', () => {
  it('covered: a device under test of the Device Model ran the application firmware image', () => {
    const c = applicationCoverage(app, run(device()));
    expect(c.verdict).toBe('covered');
    expect(c.reasons[0]).toContain(HASH);
  });

  it('not covered: a trial device of another manufacturer was commissioned under the applicant cover', () => {
    const other = device({
      id: 'esme2',
      manufacturer: 'Other Meters plc',
      role: 'simulated',
      firmwareImageHash: undefined,
    });
    const c = applicationCoverage(app, run(device(), other));
    expect(c.verdict).toBe('not covered');
    expect(c.reasons.join(' ')).toMatch(/esme2.*Other Meters plc.*not the Device Model of the application/);
  });

  it.each([
    ['model', { model: 'ACME-E-OTHER' }],
    ['hardware version', { hardwareVersion: '2.0' }],
    ['firmware version', { firmwareVersion: '1.0.0' }],
    ['device type', { deviceType: 'GSME' }],
  ])('not covered: the device under test differs in %s', (_, over) => {
    expect(applicationCoverage(app, run(device(over))).verdict).toBe('not covered');
  });

  it('not covered: the device under test ran another firmware image, named in the reasons', () => {
    const c = applicationCoverage(app, run(device({ firmwareImageHash: 'cd'.repeat(32) })));
    expect(c.verdict).toBe('not covered');
    expect(c.reasons.join(' ')).toContain('cd'.repeat(32));
  });

  it('not covered: the device under test did not show its image, or the application names none', () => {
    expect(applicationCoverage(app, run(device({ firmwareImageHash: undefined }))).verdict).toBe(
      'not covered',
    );
    const c = applicationCoverage(base, run(device()));
    expect(c.verdict).toBe('not covered');
    expect(c.reasons[0]).toMatch(/names no firmware image hash/);
  });

  it('not covered: only simulated devices — the run tests no firmware', () => {
    const c = applicationCoverage(app, run(device({ role: 'simulated', firmwareImageHash: undefined })));
    expect(c.verdict).toBe('not covered');
    expect(c.reasons[0]).toMatch(/every trial device was simulated/);
    expect(applicationCoverage(app, run()).reasons[0]).toMatch(/no trial device was tested/);
  });
});

describe('application coverage of a device under test by the image it runs', () => {
  it('covered where the operator declared the image, and the verdict says it was declared, not shown', () => {
    const c = applicationCoverage(app, run(device({ firmwareImageHashFrom: 'declared by the operator' })));
    expect(c.verdict).toBe('covered');
    expect(c.reasons[0]).toMatch(
      /as the operator declared it with --dut-image-hash; the device did not show it/,
    );
  });

  it('not covered: the device showed another image than the application names, and the reason says the device showed it', () => {
    const other = 'cd'.repeat(32);
    const c = applicationCoverage(
      app,
      run(device({ firmwareImageHash: other, firmwareImageHashFrom: 'shown by the device' })),
    );
    expect(c.verdict).toBe('not covered');
    expect(c.reasons.join(' ')).toContain(
      `ran firmware image ${other} (shown by the device), not the application's ${HASH}`,
    );
  });

  it('not covered: a device under test that showed no image is named, with how to declare one', () => {
    const c = applicationCoverage(app, run(device({ firmwareImageHash: undefined })));
    expect(c.verdict).toBe('not covered');
    expect(c.reasons.join(' ')).toMatch(
      /did not show which firmware image it runs .*--dut-image-hash esme1=<sha256>/,
    );
  });
});
