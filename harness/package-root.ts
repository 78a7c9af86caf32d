import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding trialsim's package.json, found by walking up from this module: the same
 * answer whether the code runs from source (tsx, vitest) or compiled (dist/).
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return dir;
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error('cannot find the trialsim package root (package.json with fixtures/)');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
export const FIXTURES_DIR = join(PACKAGE_ROOT, 'fixtures');
export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');

/** trialsim's version, from its package.json: what `--version` prints and the evidence records. */
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
