import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ScenarioLoadError } from '../../../../harness/scenario/scenario-error.js';
import { loadScenario } from '../../../../harness/scenario/scenario-loader.js';

/** Lines 1-17: a valid set-up; steps start on line 18, so step N's first line is 18 + N. */
const SETUP = `# yaml-language-server: $schema=./scenario.schema.json
scenario: broken
title: A scenario with one mistake
trials:
  - trialId: T-0001
    cpaCertificateReference: TRIAL-SSC-0001
    manufacturer: Acme Meters Ltd
    deviceType: ESME
    sponsor: supplier-a
devices:
  - id: chf1
    model: acme-comms-hub
    eui: 00-12-4B-00-00-00-00-01
    preinstalled: true
  - id: esme1
    model: acme-trial-esme
    eui: 00-12-4B-00-00-00-01-01
    chf: chf1
steps:
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-loader-'));
});

async function loadError(name: string, text: string): Promise<ScenarioLoadError> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, text);
  try {
    await loadScenario(file);
  } catch (err) {
    if (err instanceof ScenarioLoadError) return err;
    throw err;
  }
  throw new Error(`${name} loaded without error`);
}

const steps = (...lines: string[]) => `${SETUP}${lines.join('\n')}\n`;

describe('scenario loading: every mistake names the file, the line and what is wrong', () => {
  it('a misspelt key in a step', async () => {
    const err = await loadError(
      'bad-key',
      steps(
        '  - send: { as: supplier-a, srv: "12.2", device: esme1 }',
        '  - send: { as: supplier-a, srv: "8.11", devise: esme1 }',
      ),
    );
    expect(err.line).toBe(21);
    expect(err.message).toContain('bad-key.yaml:21');
    expect(err.problem).toMatch(/unknown key "devise"/);
  });

  it('YAML syntax error', async () => {
    const err = await loadError(
      'bad-yaml',
      steps('  - send: { as: supplier-a, srv: "12.2", device: esme1', '  - advance: 1 day'),
    );
    expect(err.line).toBeGreaterThanOrEqual(20);
    expect(err.problem).toMatch(/not valid YAML/);
  });

  it('a check names a device the scenario does not have', async () => {
    const err = await loadError(
      'bad-device',
      steps('  - advance: 1 day', '  - expect: { smi: { device: esme9, status: Pending } }'),
    );
    expect(err.line).toBe(21);
    expect(err.problem).toMatch(/steps\.1\.expect\.smi\.device: no device "esme9"/);
  });

  it('a send as a party that does not exist', async () => {
    const err = await loadError('bad-as', steps('  - send: { as: supplier-z, srv: "12.2", device: esme1 }'));
    expect(err.line).toBe(20);
    expect(err.problem).toMatch(/"supplier-z" is not a DCC User/);
  });

  it('an alert check addressed to a party that is not a DCC User', async () => {
    const err = await loadError('bad-to', steps('  - expect: { alert: { to: acb, alert: DeviceAlert } }'));
    expect(err.problem).toMatch(/steps\.0\.expect\.alert\.to: "acb" is not a DCC User/);
  });

  it('signing with the key of an unknown party', async () => {
    const err = await loadError(
      'bad-sign',
      steps(
        '  - advance: 1 s',
        '  - send: { as: supplier-a, srv: "8.1.1", device: esme1, signing: { signWith: nobody } }',
      ),
    );
    expect(err.line).toBe(21);
    expect(err.problem).toMatch(/signWith: unknown party "nobody"/);
  });

  it('an outcome check of a request named only later', async () => {
    const err = await loadError(
      'bad-request',
      steps(
        '  - expect: { outcome: { request: r1, response: I0 } }',
        '  - send: { as: supplier-a, srv: "12.2", device: esme1, name: r1 }',
      ),
    );
    expect(err.line).toBe(20);
    expect(err.problem).toMatch(/no earlier send is named "r1"/);
  });

  it('two sends with the same name', async () => {
    const err = await loadError(
      'dup-request',
      steps(
        '  - send: { as: supplier-a, srv: "12.2", device: esme1, name: r1 }',
        '  - send: { as: supplier-a, srv: "8.11", device: esme1, name: r1 }',
      ),
    );
    expect(err.line).toBe(21);
    expect(err.problem).toMatch(/already named "r1"/);
  });

  it('a fault on a link to a device that does not exist', async () => {
    const err = await loadError('bad-link', steps('  - fault: { drop: dcc -> esme7 }'));
    expect(err.line).toBe(20);
    expect(err.problem).toMatch(/"esme7" is not dcc, a party/);
  });

  it('a fault step with two faults in it', async () => {
    const err = await loadError(
      'two-faults',
      steps('  - fault: { drop: dcc -> esme1, duplicate: dcc -> esme1 }'),
    );
    expect(err.problem).toMatch(/one fault per step/);
  });

  it('a fleet step over an unknown fleet', async () => {
    const err = await loadError('bad-fleet', steps('  - fleet: { devices: homes, do: commission }'));
    expect(err.line).toBe(20);
    expect(err.problem).toMatch(/steps\.0\.fleet\.devices: no device or fleet "homes"/);
  });

  it("a mistake inside a fleet step's template names the template's line", async () => {
    const err = await loadError(
      'bad-template',
      steps(
        '  - fleet:',
        '      devices: esme1',
        '      do:',
        '        - send: { srv: "8.4" }',
        '        - send: { srv: "8.4", bogus: 1 }',
      ),
    );
    expect(err.line).toBe(24);
    expect(err.problem).toMatch(/template.*unknown key "bogus"/);
  });

  it('a two-action step', async () => {
    const err = await loadError('two-actions', steps('  - { advance: 1 day, advanceTo: "2027-02-01" }'));
    expect(err.line).toBe(20);
    expect(err.problem).toMatch(/a step does one thing/);
  });

  it('a device model that does not exist names the device', async () => {
    const err = await loadError(
      'bad-model',
      SETUP.replace('acme-trial-esme', 'acme-nonesuch').concat('  - advance: 1 s\n'),
    );
    expect(err.line).toBe(16);
    expect(err.problem).toMatch(/device esme1: .*acme-nonesuch.*file not found/);
  });

  it('a file that does not exist', async () => {
    await expect(loadScenario(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: file not found/);
  });
});
