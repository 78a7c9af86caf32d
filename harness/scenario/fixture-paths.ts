import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { FIXTURES_DIR } from '../package-root.js';

/** The kinds of file a scenario names, with the folder of trialsim's own library that holds them. */
export type FixtureKind = 'device-models' | 'cpl' | 'firmware';

export interface FixtureLookup {
  /** The file to read (it may not exist: then `looked` says where it was looked for). */
  readonly path: string;
  /** Whether it is one of trialsim's own fixtures (fixtures/) rather than the user's file. */
  readonly builtIn: boolean;
  readonly looked: readonly string[];
}

/**
 * Where a name in a scenario file points. A path is relative to the file that names it (as an
 * import in a source file is), so a user's project can live anywhere and run from any folder;
 * the name of one of trialsim's own fixtures (`acme-trial-esme`, `cpl/default-cpl.yaml`) still
 * finds it in trialsim's fixtures/ when the scenario's folder has no such file.
 */
export function resolveFixture(name: string, namedIn: string, kind: FixtureKind): FixtureLookup {
  if (isAbsolute(name)) return { path: name, builtIn: false, looked: [name] };
  const own = resolve(dirname(namedIn), name);
  const explicitlyRelative = name.startsWith('./') || name.startsWith('../');
  if (existsSync(own) || explicitlyRelative) return { path: own, builtIn: false, looked: [own] };
  const library = builtInPath(name, kind);
  return { path: library, builtIn: true, looked: [own, library] };
}

function builtInPath(name: string, kind: FixtureKind): string {
  if (name.includes('/')) return join(FIXTURES_DIR, name);
  if (kind === 'firmware') {
    const base = join(FIXTURES_DIR, 'firmware', name.replace(/\.(yaml|bin)$/, ''));
    return name.endsWith('.bin') ? `${base}.bin` : `${base}.yaml`;
  }
  return join(FIXTURES_DIR, kind, name.endsWith('.yaml') ? name : `${name}.yaml`);
}
