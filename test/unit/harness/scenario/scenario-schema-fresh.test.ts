import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, SCENARIOS_DIR } from '../../../../harness/package-root.js';
import {
  SCENARIO_SCHEMA_FILE,
  scenarioJsonSchemaText,
} from '../../../../harness/scenario/scenario-json-schema.js';
import { discoverScenarios } from '../../../../harness/suite/discover.js';

describe('the published JSON Schema of scenario files', () => {
  it(`${SCENARIO_SCHEMA_FILE} is what \`trialsim schema\` generates now (regenerate: trialsim schema --out ${SCENARIO_SCHEMA_FILE})`, async () => {
    const committed = await readFile(join(PACKAGE_ROOT, SCENARIO_SCHEMA_FILE), 'utf8');
    expect(
      committed === scenarioJsonSchemaText(),
      'stale: run `npx tsx harness/cli/trialsim.ts schema --out scenarios/scenario.schema.json`',
    ).toBe(true);
  });

  it('describes every step kind and check the registries hold', () => {
    const schema = JSON.parse(scenarioJsonSchemaText()) as {
      properties: { steps: { items: { properties: Record<string, unknown> } } };
    };
    const stepKeys = Object.keys(schema.properties.steps.items.properties);
    for (const key of ['send', 'advance', 'advanceTo', 'cpl', 'fleet', 'fault', 'expect', 'requirement'])
      expect(stepKeys).toContain(key);
  });

  it('every built-in scenario points editors at the schema on its first line', async () => {
    for (const file of await discoverScenarios([SCENARIOS_DIR])) {
      const first = (await readFile(file, 'utf8')).split('\n')[0];
      expect(first, file).toMatch(
        /^# yaml-language-server: \$schema=(\.\/|\.\.\/scenarios\/)scenario\.schema\.json$/,
      );
    }
  });
});
