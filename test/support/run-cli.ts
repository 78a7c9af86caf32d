import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../../harness/package-root.js';

/** The folders `npm run build` compiles (tsconfig.build.json's "include") into dist/. */
const BUILT_FOLDERS = ['simulator', 'harness', 'bench'];

/** Every .ts source under a folder (declaration files compile to nothing). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The bundle bin/trialsim.js runs (esbuild.config.mjs writes it from dist/ after tsc). */
const BUNDLE = join(PACKAGE_ROOT, 'dist', 'bundle', 'trialsim.js');

/**
 * dist/ holds a compiled file, no older than its source, for every source, and the bundle is no
 * older than any of them: bin/trialsim.js runs this tree's code. A bare `tsc` leaves the bundle
 * behind its sources, and the CLI would run the code of an earlier build.
 */
export function distIsFresh(): boolean {
  if (!existsSync(BUNDLE)) return false;
  const bundled = statSync(BUNDLE).mtimeMs;
  return BUILT_FOLDERS.every((folder) =>
    sources(join(PACKAGE_ROOT, folder)).every((source) => {
      const built = join(PACKAGE_ROOT, 'dist', `${source.slice(PACKAGE_ROOT.length + 1, -'.ts'.length)}.js`);
      if (!existsSync(built)) return false;
      const compiled = statSync(built).mtimeMs;
      return compiled >= statSync(source).mtimeMs && bundled >= compiled;
    }),
  );
}

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;

/**
 * The CLI as a user runs it: `node bin/trialsim.js`, which runs dist/. `npm test` builds dist/
 * before the tests; loading the CLI through tsx instead compiles its TypeScript on every spawn
 * (about 2 s of CPU each, and the e2e tests spawn it some hundred times). Where dist/ is missing or
 * older than a source (a test run alone after an edit, without `npm run build`), the CLI runs from
 * the TypeScript entry point through tsx, so a test never checks stale code. Absolute paths: some
 * tests run the CLI in a folder of their own.
 */
export const CLI_ARGS: readonly string[] = distIsFresh()
  ? [join(PACKAGE_ROOT, 'bin', 'trialsim.js')]
  : ['--import', TSX, join(PACKAGE_ROOT, 'harness', 'cli', 'trialsim.ts')];

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function trialsim(args: readonly string[], timeoutMs = 240_000): CliRun {
  const result = spawnSync(process.execPath, [...CLI_ARGS, ...args], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function trialsimAsync(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [...CLI_ARGS, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, NO_COLOR: '1' },
  });
}
