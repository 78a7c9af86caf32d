import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { TrialsimError } from '../../simulator/errors.js';
import { CONFIG_FILE_NAME } from './project-config.js';
import { SCAFFOLD_FILES } from './scaffold-files.js';

export interface ScaffoldResult {
  readonly dir: string;
  /** Paths written, relative to dir, in the order written. */
  readonly written: readonly string[];
}

/**
 * `trialsim init`: writes a user project (config, a scenario, device models, a CPL, a firmware
 * release, an application file, a CI workflow and a README) into dir. All or nothing: when any
 * of the files is already there nothing is written, and the error names every such file, so an
 * existing project is never half-overwritten.
 */
export async function scaffoldProject(dir: string): Promise<ScaffoldResult> {
  const root = resolve(dir);
  const existing = SCAFFOLD_FILES.map((f) => f.path).filter((p) => existsSync(join(root, p)));
  if (existing.length > 0) {
    const rel = relative(process.cwd(), root) || '.';
    const shown = rel.startsWith('..') ? root : rel;
    throw new TrialsimError(
      'PROJECT_EXISTS',
      `trialsim init ${shown}: not overwriting ${existing.join(', ')} (nothing written); move ${existing.length === 1 ? 'it' : 'them'} away or init another folder`,
    );
  }
  const written: string[] = [];
  for (const file of SCAFFOLD_FILES) {
    const path = join(root, file.path);
    await mkdir(dirname(path), { recursive: true });
    // 'wx': a file that appeared since the check above is still not overwritten.
    await writeFile(path, file.content, { flag: 'wx' });
    written.push(file.path);
  }
  return { dir: root, written };
}

export { CONFIG_FILE_NAME };
