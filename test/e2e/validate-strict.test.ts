import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../harness/package-root.js';
import { tempDir, trialsim } from '../support/cli-in-process.js';

/**
 * Positions are line:col of the key the message names (for a list item, of the item).
 * `trialsim validate` is as strict as `run`: what would make the run fail or error is refused
 * before it, every error of a file as file:line:col, sorted, with the nearest right word.
 */
const HEAD = `scenario: ID
title: a scenario
devices:
  - { id: chf1, model: acme-comms-hub, eui: 00-12-4B-00-00-00-00-01, preinstalled: true }
  - { id: esme1, model: acme-trial-esme, eui: 00-12-4B-00-00-00-01-01, chf: chf1 }
steps:
`;
let dir: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  dir = await tempDir('validate');
});
afterAll(() => dir.remove());

async function scenarioFile(name: string, steps: string, id = name): Promise<string> {
  const file = join(dir.path, `${name}.yaml`);
  await writeFile(file, HEAD.replace('ID', id) + steps);
  return file;
}

describe('validate refuses what the run would trip over', () => {
  it('a misspelt duration unit: file:line:col and the unit meant', async () => {
    const file = await scenarioFile('duration', '  - advance: 1 dya\n');
    const run = await trialsim('validate', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:7:5: steps.0.advance: duration "1 dya": unknown unit "dya"`);
    expect(run.stderr).toContain('(did you mean "day"?)');
  });

  it('an SRV not in the catalogue, with the nearest one; an unknown SRV is allowed only to test its E12', async () => {
    const file = await scenarioFile(
      'srv',
      '  - send: { as: supplier-a, srv: "8.44", device: esme1 }\n    expect: { response: I0 }\n' +
        '  - send: { as: supplier-a, srv: "9.99", device: esme1 }\n    expect: { response: E12 }\n',
    );
    const run = await trialsim('validate', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${file}:7:29: steps.0.send.srv: "8.44" is not an SRV trialsim knows (did you mean "8.4"?)`,
    );
    expect(run.stderr).not.toContain('9.99');
  });

  it('every error of a file, sorted by line, each with its did-you-mean (keys and values)', async () => {
    const file = await scenarioFile(
      'many',
      '  - advance: 2 days\n' +
        '    expct: { smi: { device: esme1, status: Commissioned } }\n' +
        '  - send: { as: supplier-a, srv: "12.2", device: esme1 }\n' +
        '    expect: { response: IO }\n' +
        '  - send: { as: supplier-a, srv: "12.2", device: esme1, bdy: {} }\n',
    );
    const run = await trialsim('validate', file);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toEqual([
      `${file}:8:5: steps.0.expct: unknown key "expct" (did you mean "expect"?)`,
      expect.stringMatching(
        new RegExp(`^${file}:10:15: steps\\.1\\.expect\\.response: .*\\(did you mean "I0"\\?\\)$`),
      ),
      `${file}:11:57: steps.2.send.bdy: unknown key "bdy" (did you mean "body"?)`,
    ]);
  });

  it('requirement ids: a misspelt one of trialsim’s catalogue is refused, ids of the user’s own pass', async () => {
    const file = await scenarioFile(
      'requirements',
      '  - advance: 1 day\n    requirement: EV-OTA-DISTRIBTE\n' +
        '  - advance: 1 day\n    requirement: [ACME-REQ-7, EV-OTA-DISTRIBUTE]\n',
    );
    const run = await trialsim('validate', file);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      `${file}:8:5: steps.0.requirement: requirement "EV-OTA-DISTRIBTE" is not in trialsim's requirement catalogue (did you mean "EV-OTA-DISTRIBUTE"?) (ids of your own must not start with EV- or DEV-)`,
    ]);
  });

  it('two files with one scenario id: the second is refused by validate and by run, naming the first', async () => {
    const first = await scenarioFile('dup-a', '  - advance: 1 day\n', 'same-id');
    const second = await scenarioFile('dup-b', '  - advance: 1 day\n', 'same-id');
    const validate = await trialsim('validate', first, second);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(
      /dup-b\.yaml:1:1: scenario: "same-id" is already the id of .*dup-a\.yaml:1/,
    );
    expect(validate.stdout).toContain('1 of 2 scenario files valid');
    const run = await trialsim('run', first, second, '--out', join(dir.path, 'dup-evidence'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"same-id" is already the id of');
  });

  it('the built-in suite stays valid', async () => {
    const run = await trialsim('validate');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});

describe('the scenario JSON Schema uses standard keywords only', () => {
  it('a strict validator (ajv, JSON Schema 2020-12) compiles it and accepts every built-in scenario', async () => {
    const { parse } = await import('yaml');
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    // ajv-formats is CommonJS: its plugin is the module's default export.
    (formats as unknown as { default: (ajv: Ajv2020) => void }).default(ajv);
    const schema = JSON.parse(
      await readFile(join(PACKAGE_ROOT, 'scenarios', 'scenario.schema.json'), 'utf8'),
    );
    const check = ajv.compile(schema);
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(join(PACKAGE_ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const ok = check(parse(readFileSync(join(PACKAGE_ROOT, 'scenarios', f), 'utf8')));
      expect(ok, `${f}: ${JSON.stringify(check.errors?.slice(0, 2))}`).toBe(true);
    }
    // ... and it is not a schema that accepts anything: a misspelt key fails it.
    expect(check({ scenario: 'x', title: 'x', devices: [], steps: [{ advance: '1 day', expct: {} }] })).toBe(
      false,
    );
  });
});
