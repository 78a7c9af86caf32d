import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { FIXTURES_DIR } from '../package-root.js';
import { canonicalJson } from '../results/canonical-json.js';
import type { RunResults } from '../results/result-types.js';
import { sha256Hex } from './digest.js';
import type { HashedFile, ManifestInputs } from './manifest.js';

export const FIRMWARE_DIR = join(FIXTURES_DIR, 'firmware');

export async function hashFile(path: string, name = path): Promise<HashedFile> {
  const bytes = await readFile(path);
  return { path: name, sha256: sha256Hex(bytes), bytes: bytes.length };
}

async function walk(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

const cwdRelative = (path: string) => relative(process.cwd(), path) || path;

/** Hashes every input that shaped the run: scenario files, fixtures, firmware images, the application. */
export async function hashInputs(
  results: RunResults,
  options: { readonly application?: string; readonly filter?: string; readonly bail: boolean },
): Promise<ManifestInputs> {
  const scenarioPaths = [...new Set(results.scenarios.map((s) => s.file))].sort();
  const fixturePaths = [...new Set(results.scenarios.flatMap((s) => s.fixtures ?? []))].sort();
  const firmware = await walk(FIRMWARE_DIR);
  return {
    scenarios: await Promise.all(scenarioPaths.map((p) => hashFile(p))),
    fixtures: await Promise.all(fixturePaths.map((p) => hashFile(p))),
    firmware: await Promise.all(firmware.map((p) => hashFile(p, cwdRelative(p)))),
    ...(options.application === undefined
      ? {}
      : { application: await hashFile(options.application, cwdRelative(options.application)) }),
    options: { ...(options.filter === undefined ? {} : { filter: options.filter }), bail: options.bail },
  };
}

/**
 * The run id: a function of the tool version, the seed and the inputs' contents only, so the same
 * run repeated gets the same id and any change to an input gets a new one.
 */
export function runIdFor(tool: string, seed: string, inputs: ManifestInputs): string {
  return `run-${sha256Hex(canonicalJson({ tool, seed, inputs })).slice(0, 20)}`;
}
