import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../harness/package-root.js';
import { loadScenario } from '../../../../harness/scenario/scenario-loader.js';

/**
 * Paths in a scenario file are relative to the scenario file, never to the working folder (the
 * tests run with the repository as working folder, the project lives in a temporary folder).
 */
let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'trialsim-paths-'));
  for (const folder of ['suite/deep', 'models', 'cpl', 'firmware'])
    await mkdir(join(project, folder), { recursive: true });
  await writeFile(
    join(project, 'models', 'esme.yaml'),
    'deviceType: ESME\nmanufacturer: Own Ltd\nmodel: OWN-1\nhardwareVersion: "1.0"\nfirmwareVersion: "0.1.0"\n',
  );
  await writeFile(
    join(project, 'cpl', 'cpl.yaml'),
    '- { deviceType: ESME, manufacturer: Own Ltd, model: OWN-1, hardwareVersion: "1.0", firmwareVersion: "0.1.0", cpaCertificateReference: TRIAL-SSC-9 }\n',
  );
  await writeFile(
    join(project, 'firmware', 'own-0.2.0.yaml'),
    'manufacturer: Own Ltd\nimageType: 1\nfirmwareVersion: "0.2.0"\nhardwareVersions: ["1.0"]\nbody: { size: 64 }\n',
  );
});
afterAll(() => rm(project, { recursive: true, force: true }));

async function scenario(devices: string, extra = ''): Promise<string> {
  const file = join(project, 'suite', 'deep', `s${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(
    file,
    `scenario: paths\ntitle: paths\ncpl:\n  - fixture: ../../cpl/cpl.yaml\ndevices:\n${devices}\nsteps:\n  - send: { as: supplier-a, srv: "11.1", device: e1, body: { firmwareImage: ../../firmware/own-0.2.0.yaml } }\n${extra}`,
  );
  return file;
}

describe('scenario paths resolve relative to the scenario file', () => {
  it('device model, CPL file and firmware image are the project’s files, whatever the working folder', async () => {
    const file = await scenario(
      '  - { id: e1, model: ../../models/esme.yaml, eui: 00-12-4B-00-00-00-01-01 }\n  - { id: h1, model: acme-comms-hub, eui: 00-12-4B-00-00-00-00-01 }',
    );
    const loaded = await loadScenario(file);
    expect(loaded.devices.find((d) => d.id === 'e1')).toMatchObject({
      manufacturer: 'Own Ltd',
      model: 'OWN-1',
    });
    expect(loaded.cpl.map((e) => e.cpaCertificateReference)).toEqual(['TRIAL-SSC-9']);
    expect(loaded.fixtures).toEqual(
      expect.arrayContaining([
        join(project, 'models', 'esme.yaml'),
        join(project, 'cpl', 'cpl.yaml'),
        join(project, 'firmware', 'own-0.2.0.yaml'),
        // a bare name is still one of trialsim's own fixtures
        join(FIXTURES_DIR, 'device-models', 'acme-comms-hub.yaml'),
      ]),
    );
    // The run reads the same firmware file, whatever its working folder.
    const send = loaded.definition.steps[0] as { send: { body: { firmwareImage: string } } };
    expect(send.send.body.firmwareImage).toBe(join(project, 'firmware', 'own-0.2.0.yaml'));
  });

  it('a path that is not there is an error naming the scenario line and where it looked', async () => {
    const file = await scenario('  - { id: e1, model: ../models/esme.yaml, eui: 00-12-4B-00-00-00-01-01 }');
    await expect(loadScenario(file)).rejects.toThrow(
      `${file}:6:15: device e1: device model "../models/esme.yaml": file not found (looked for ${join(project, 'suite', 'models', 'esme.yaml')}`,
    );
  });

  it('a firmware image that is not there names the step and both places looked', async () => {
    const file = await scenario(
      '  - { id: e1, model: ../../models/esme.yaml, eui: 00-12-4B-00-00-00-01-01 }',
    );
    await writeFile(file, (await readFile(file, 'utf8')).replace('own-0.2.0', 'own-0.3.0'));
    await expect(loadScenario(file)).rejects.toThrow(/steps\.0\.send\.body\.firmwareImage: no firmware file/);
  });

  it('a firmware image in a fleet step’s template resolves relative to the scenario file too', async () => {
    const fleet =
      '  - title: the fleet gets its firmware\n    fleet:\n      devices: own\n      do:\n' +
      '        - send: { srv: "11.1", body: { firmwareImage: ../../firmware/own-0.2.0.yaml } }\n' +
      '          expect: { response: I0 }\n';
    const file = await scenario(
      '  - { id: e1, model: ../../models/esme.yaml, eui: 00-12-4B-00-00-00-01-01 }',
      fleet,
    );
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        'steps:',
        'fleets:\n  - { id: own, count: 2, model: ../../models/esme.yaml, firstEui: 00-12-4B-00-00-00-02-01 }\nsteps:',
      ),
    );
    const loaded = await loadScenario(file);
    const template = (
      loaded.definition.steps[1] as { fleet: { do: { send: { body: { firmwareImage: string } } }[] } }
    ).fleet.do[0];
    expect(template?.send.body.firmwareImage).toBe(join(project, 'firmware', 'own-0.2.0.yaml'));
    expect(loaded.fixtures).toContain(join(project, 'firmware', 'own-0.2.0.yaml'));
  });

  it('a fleet template’s firmware image that is not there names the template’s line and both places looked', async () => {
    const fleet =
      '  - fleet:\n      devices: e1\n      do:\n' +
      '        - send: { srv: "11.1", body: { firmwareImage: ../firmware/own-0.2.0.yaml } }\n';
    const file = await scenario(
      '  - { id: e1, model: ../../models/esme.yaml, eui: 00-12-4B-00-00-00-01-01 }',
      fleet,
    );
    await expect(loadScenario(file)).rejects.toThrow(
      `${file}:12:40: steps.1.fleet.do.0.send.body.firmwareImage: no firmware file "../firmware/own-0.2.0.yaml" (looked for ${join(project, 'suite', 'firmware', 'own-0.2.0.yaml')}`,
    );
  });
});
