import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { TrialsimError } from '../../simulator/errors.js';
import { SCENARIOS_DIR } from '../package-root.js';

const SCENARIO_FILES = '**/*.{yaml,yml}';

/** A folder's scenario files, sorted (so a folder runs the same way on every machine). */
async function scenariosIn(dir: string): Promise<string[]> {
  const files = await glob(SCENARIO_FILES, {
    cwd: dir,
    absolute: true,
    onlyFiles: true,
    ignore: ['**/node_modules/**'],
  });
  return files.map((f) => resolve(f)).sort();
}

/**
 * Turns the paths a user gave (files, folders, globs) into scenario files, unique, in the order
 * given: `run b.yaml a.yaml` runs b first, as vitest and Playwright keep a given order. A folder
 * or a glob contributes its files sorted. Globs are tinyglobby's (picomatch syntax: `**`, braces,
 * classes, extglobs), so a pattern means here what it means in the user's other tools. No paths
 * means the built-in suite in scenarios/.
 */
export async function discoverScenarios(paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return scenariosIn(SCENARIOS_DIR);
  const found = new Set<string>();
  for (const given of paths) {
    if (isDynamicPattern(given)) {
      const matches = (await glob(given, { absolute: true, onlyFiles: true, expandDirectories: false }))
        .map((f) => resolve(f))
        .filter((f) => /\.ya?ml$/.test(f))
        .sort();
      if (matches.length === 0)
        throw new TrialsimError('SCENARIO_NOT_FOUND', `no scenario file matches ${given}`);
      for (const m of matches) found.add(m);
      continue;
    }
    const path = resolve(given);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined)
      throw new TrialsimError('SCENARIO_NOT_FOUND', `scenario file or folder not found: ${given}`);
    if (info.isDirectory()) for (const f of await scenariosIn(path)) found.add(f);
    else found.add(path);
  }
  return [...found];
}
