import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';

/**
 * The layer rules live in biome.json (noRestrictedImports per folder, noImportCycles) and run in
 * `npm run check`. These tests run the same biome, with the project's own biome.json, over small
 * trees shaped like the project's, so a rule that stopped matching would fail here.
 */
const BIOME = join(PACKAGE_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
const RULES = ['--only=style/noRestrictedImports', '--only=suspicious/noImportCycles'];

function lint(cwd: string, paths: readonly string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [BIOME, 'lint', ...RULES, '--max-diagnostics=200', ...paths], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

/** Diagnostics as `file:line rule`, one per finding. */
function findings(output: string): string[] {
  return [...output.matchAll(/^(\S+\.ts):(\d+):\d+ lint\/(\w+\/\w+)/gm)].map(
    ([, file, line, rule]) => `${file}:${line} ${rule}`,
  );
}

let dir: string;
async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(dir, 'tree-'));
  const config = JSON.parse(await readFile(join(PACKAGE_ROOT, 'biome.json'), 'utf8'));
  delete config.$schema; // the schema path is relative to the project
  await writeFile(join(root, 'biome.json'), JSON.stringify(config));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text);
  }
  return root;
}

/** Files every tree has, so each import below resolves. */
const TARGETS = {
  'simulator/adapters/wire/topics.ts': 'export const topics = 1;\n',
  'simulator/domain/eui.ts': 'export type Eui = string;\n',
  'simulator/domain/churn/churn-generator.ts': 'export const plan = 1;\n',
  'simulator/pki/test-pki.ts': 'export const pki = 1;\n',
  'simulator/pki/index.ts': "export { pki } from './test-pki.js';\n",
  'harness/stack/sim-stack.ts': 'export const stack = 1;\n',
  'harness/evidence/digest.ts': 'export const digest = 1;\n',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-import-rules-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('layer rules (biome.json, run by npm run check)', { timeout: 60_000 }, () => {
  it('LAYERS - a deliberately wrong import fails the check, naming the file, the line and the rule', async () => {
    const root = await tree({
      ...TARGETS,
      'simulator/domain/dcc/bad.ts': [
        "import { topics } from '../../adapters/wire/topics.js';",
        "import { pki } from '../../pki/test-pki.js';",
        "import { stack } from '../../../harness/stack/sim-stack.js';",
        "import { plan } from '../churn/churn-generator.js';",
        "import { readFileSync } from 'node:fs';",
        'export const all = [topics, pki, stack, plan, readFileSync];',
        '',
      ].join('\n'),
      'simulator/nodes/bad-node.ts':
        "import { stack } from '../../harness/stack/sim-stack.js';\nexport const s = stack;\n",
      'harness/results/bad-result.ts':
        "import { digest } from '../evidence/digest.js';\nimport { pki } from '../../simulator/pki/test-pki.js';\nexport const d = [digest, pki];\n",
      // Past a layer's public entry: harness/ reaches the simulator only through index.js.
      'harness/stack/bad-deep.ts':
        "import { pki } from '../../simulator/pki/test-pki.js';\nexport const p = pki;\n",
      // A cycle through a type-only import still counts: the two files cannot be read apart.
      'simulator/domain/device/cycle-a.ts':
        "import type { B } from './cycle-b.js';\nexport interface A { readonly b?: B }\n",
      'simulator/domain/device/cycle-b.ts':
        "import type { A } from './cycle-a.js';\nexport interface B { readonly a?: A }\n",
    });
    const run = lint(root, ['simulator', 'harness']);
    expect(run.status).not.toBe(0);
    expect(findings(run.output).sort()).toEqual(
      [
        'harness/results/bad-result.ts:1 style/noRestrictedImports',
        'harness/results/bad-result.ts:2 style/noRestrictedImports',
        'harness/stack/bad-deep.ts:1 style/noRestrictedImports',
        'simulator/domain/dcc/bad.ts:1 style/noRestrictedImports',
        'simulator/domain/dcc/bad.ts:2 style/noRestrictedImports',
        'simulator/domain/dcc/bad.ts:3 style/noRestrictedImports',
        'simulator/domain/dcc/bad.ts:4 style/noRestrictedImports',
        'simulator/domain/dcc/bad.ts:5 style/noRestrictedImports',
        'simulator/domain/device/cycle-a.ts:1 suspicious/noImportCycles',
        'simulator/domain/device/cycle-b.ts:1 suspicious/noImportCycles',
        'simulator/nodes/bad-node.ts:1 style/noRestrictedImports',
      ].sort(),
    );
    expect(run.output).toMatch(/Layer rule: simulator\/domain\/ is the pure core/);
    expect(run.output).toMatch(/Layer rule: the DCC core does not depend on churn/);
    expect(run.output).toMatch(
      /Layer rule: harness\/ reaches the simulator only through each layer's public entry/,
    );
  });

  it('LAYERS - the same imports pointing down the layers pass', async () => {
    const root = await tree({
      ...TARGETS,
      'simulator/domain/churn/good.ts': "import type { Eui } from '../eui.js';\nexport const e: Eui = 'x';\n",
      'simulator/nodes/good-node.ts':
        "import { topics } from '../adapters/wire/topics.js';\nexport const t = topics;\n",
      'harness/evidence/good.ts':
        "import { stack } from '../stack/sim-stack.js';\nimport { pki } from '../../simulator/pki/index.js';\nexport const g = [stack, pki];\n",
    });
    const run = lint(root, ['simulator', 'harness']);
    expect(findings(run.output)).toEqual([]);
    expect(run.status).toBe(0);
  });

  it('LAYERS - the project tree itself passes', () => {
    const run = lint(PACKAGE_ROOT, ['simulator', 'harness', 'bench', 'test']);
    expect(findings(run.output)).toEqual([]);
    expect(run.status).toBe(0);
  });
});
