import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, trialsim } from '../support/cli-in-process.js';

/**
 * A fleet step's template names a firmware release by a path relative to the scenario file, as
 * every other path in a scenario is (CLI.md, "init and the project config"). The run's working
 * folder is the repository; the project is in a temporary folder, so only the scenario's folder
 * can make the path resolve.
 */
let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('fleet-paths');
  await mkdir(join(dir.path, 'scenarios'));
  await mkdir(join(dir.path, 'firmware'));
  // A trial maintenance release (its CPL entry is in the scenario), as the user's own file.
  await writeFile(
    join(dir.path, 'firmware', 'own-0.9.1.yaml'),
    'manufacturer: Acme Meters Ltd\nimageType: 1\nfirmwareVersion: "0.9.1"\nhardwareVersions: ["1.0"]\nbody: { size: 2048 }\n',
  );
  await writeFile(
    join(dir.path, 'scenarios', 'fleet-firmware.yaml'),
    `scenario: fleet-firmware
title: A fleet gets the user's own firmware release, named relative to the scenario
cpl:
  - fixture: cpl/default-cpl.yaml
  - { deviceType: ESME, manufacturer: Acme Meters Ltd, model: ACME-E-TRIAL, hardwareVersion: "1.0", firmwareVersion: "0.9.1", cpaCertificateReference: TRIAL-SSC-0001 }
trials:
  - { trialId: T-0001, cpaCertificateReference: TRIAL-SSC-0001, manufacturer: Acme Meters Ltd, deviceType: ESME, sponsor: supplier-a }
fleets:
  - id: home
    count: 2
    model: acme-trial-esme
    firstEui: 00-12-4B-00-00-10-00-01
    commsHubs: { model: acme-comms-hub, firstEui: 00-12-4B-00-00-20-00-01 }
steps:
  - fleet: { devices: home, do: commission }
  - fleet:
      devices: home
      do:
        - send: { srv: "11.1", body: { firmwareImage: ../firmware/own-0.9.1.yaml } }
          expect: { response: I0, body: { firmwareVersion: "0.9.1" } }
        - expect: { alert: { to: supplier-a, alert: DeviceAlert, alertCode: "0x8F8A" } }
`,
  );
});
afterAll(() => dir.remove());

describe('a fleet template’s firmwareImage is relative to the scenario file', () => {
  it('validate and run find the release beside the project, from the repository as working folder', async () => {
    const file = join(dir.path, 'scenarios', 'fleet-firmware.yaml');
    const validate = await trialsim('validate', file);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const out = join(dir.path, 'evidence');
    const run = await trialsim('run', file, '--out', out, '--no-progress');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    expect(results.scenarios[0].verdict).toBe('passed');
    // The user's release went into the evidence (results.json: relative to the working folder).
    const fixtures = (results.scenarios[0].fixtures as string[]).map((f) => resolve(f));
    expect(fixtures).toContain(join(dir.path, 'firmware', 'own-0.9.1.yaml'));
  });
});
