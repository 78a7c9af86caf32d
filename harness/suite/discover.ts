import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TrialsimError } from '../../simulator/errors.js';
import { SCENARIOS_DIR } from '../package-root.js';

const SCENARIO_FILE = /\.ya?ml$/;

/** `*` matches within a path segment, `**` across segments. */
function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      pattern += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') pattern += '[^/]*';
    else if (c === '?') pattern += '[^/]';
    else pattern += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (SCENARIO_FILE.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/**
 * Turns the paths a user gave (files, folders, globs) into scenario files, sorted and unique.
 * No paths means the built-in suite in scenarios/.
 */
export async function discoverScenarios(paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return walk(SCENARIOS_DIR);
  const found = new Set<string>();
  for (const given of paths) {
    if (/[*?]/.test(given)) {
      const firstWild = given.search(/[*?]/);
      const baseDir = resolve(given.slice(0, given.lastIndexOf('/', firstWild) + 1) || '.');
      const regex = globToRegExp(resolve(given));
      const matches = (await walk(baseDir).catch(() => [])).filter((f) => regex.test(f));
      if (matches.length === 0)
        throw new TrialsimError('SCENARIO_NOT_FOUND', `no scenario file matches ${given}`);
      for (const m of matches) found.add(m);
      continue;
    }
    const path = resolve(given);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined)
      throw new TrialsimError('SCENARIO_NOT_FOUND', `scenario file or folder not found: ${given}`);
    if (info.isDirectory()) for (const f of await walk(path)) found.add(f);
    else found.add(path);
  }
  return [...found].sort();
}
