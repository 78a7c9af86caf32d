import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApplication, parseApplication } from '../../../harness/evidence/application-file.js';
import { APPLICATION, tempDir, trialsim } from '../../support/cli-in-process.js';

/** The application file (TRIALS.md step 2) is validated like a scenario: errors name file and line. */
let work: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir('app');
});
afterAll(() => work.remove());

const VALID = `manufacturer:
  name: Acme Meters Ltd
deviceModel:
  deviceType: ESME
  model: ACME-E-TRIAL
  hardwareVersion: "1.0"
  firmwareVersion: "0.9.0"
trial:
  maxDevices: 100
  durationMonths: 18
sponsorSupplier:
  name: Supplier A
useCase:
  summary: s
  businessRationale: r
mvp:
  reference: MVP-1
riskAssessment:
  reference: RA-1
`;

function errorOf(source: string): string {
  try {
    parseApplication(source, 'app.yaml');
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the application to be refused');
}

describe('application file', () => {
  it('the example application validates, with the defaults filled in', async () => {
    const loaded = await loadApplication(APPLICATION);
    expect(loaded.application.manufacturer.name).toBe('Acme Meters Ltd');
    expect(loaded.application.trial.eligibility).toBe('anyCertifiedProduct');
    expect(parseApplication(VALID, 'app.yaml').trial.eligibility).toBe('anyCertifiedProduct');
  });

  it('a misspelt key is named with its line', () => {
    expect(errorOf(VALID.replace('  model: ACME', '  modle: ACME'))).toBe(
      'app.yaml:5: deviceModel.modle: Unrecognized key: "modle"',
    );
  });

  it('a wrong value is named with its line and what is allowed', () => {
    expect(errorOf(VALID.replace('deviceType: ESME', 'deviceType: TOASTER'))).toMatch(
      /^app\.yaml:4: deviceModel\.deviceType: Invalid option/,
    );
    expect(errorOf(VALID.replace('maxDevices: 100', 'maxDevices: -3'))).toMatch(
      /^app\.yaml:9: trial\.maxDevices: /,
    );
  });

  it('a missing section is named', () => {
    expect(errorOf(VALID.replace(/riskAssessment:\n {2}reference: RA-1\n/, ''))).toMatch(
      /^app\.yaml(:\d+)?: riskAssessment: /,
    );
  });

  it('broken YAML is reported with its line', () => {
    expect(errorOf('manufacturer:\n  name: [unclosed\n')).toMatch(/^app\.yaml:\d+: not valid YAML/);
  });

  it('trialsim run refuses a bad application before running anything (exit 2, file:line)', async () => {
    const file = join(work.path, 'bad.yaml');
    await writeFile(file, VALID.replace('  name: Supplier A', '  name: Supplier A\n  colour: blue'));
    const run = await trialsim(
      'run',
      'scenarios/commissioning.yaml',
      '--out',
      join(work.path, 'out'),
      '--application',
      file,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:13: sponsorSupplier.colour: Unrecognized key: "colour"`);
    expect(run.stdout).not.toMatch(/running/);
  });
});
