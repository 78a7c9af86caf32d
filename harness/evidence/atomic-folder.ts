import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { TrialsimError } from '../../simulator/errors.js';

/** Names that mark a folder as an evidence bundle trialsim may replace. */
const BUNDLE_MARKERS = ['manifest.json', 'manifest.dsse.json', 'results.json'];

/**
 * Refuses an output folder that holds something other than an earlier bundle: replacing the
 * folder wholesale must never delete a user's unrelated files (`--out .` by mistake).
 */
export async function checkEvidenceTarget(
  target: string,
  written: ReadonlySet<string> = new Set(),
): Promise<void> {
  const info = await stat(target).catch(() => undefined);
  if (info === undefined) return;
  if (!info.isDirectory()) {
    throw new TrialsimError('EVIDENCE_TARGET_INVALID', `--out ${target} is a file, not a folder`);
  }
  // Files this run's reporters wrote there (carried into the bundle) do not count.
  const names = (await readdir(target)).filter((n) => !written.has(n));
  if (names.length > 0 && !names.some((n) => BUNDLE_MARKERS.includes(n))) {
    throw new TrialsimError(
      'EVIDENCE_TARGET_INVALID',
      `--out ${target} is a folder that is not an evidence bundle (no manifest.json or results.json); choose an empty or new folder`,
    );
  }
}

/**
 * Writes a folder atomically: everything goes into a hidden sibling (same file system, so the
 * rename is atomic), and only a complete folder is renamed into place. A run interrupted before
 * the rename leaves only the hidden `.NAME.partial-*` folder, whose envelope is written last, so
 * it never verifies; the earlier bundle, if any, stays whole until the swap.
 */
export async function writeFolderAtomically(
  target: string,
  write: (dir: string) => Promise<void>,
  written: ReadonlySet<string> = new Set(),
): Promise<void> {
  const abs = resolve(target);
  const parent = dirname(abs);
  await mkdir(parent, { recursive: true });
  await removeAbandoned(parent, basename(abs));
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const partial = join(parent, `.${basename(abs)}.partial-${stamp}`);
  await mkdir(partial);
  try {
    await write(partial);
    await checkEvidenceTarget(abs, written);
    const previous = await stat(abs).catch(() => undefined);
    let old: string | undefined;
    if (previous !== undefined) {
      old = join(parent, `.${basename(abs)}.old-${stamp}`);
      await rename(abs, old);
    }
    await rename(partial, abs);
    if (old !== undefined) await rm(old, { recursive: true, force: true });
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
}

/** Partial or old folders left by runs that were killed (their process is gone): never bundles. */
async function removeAbandoned(parent: string, name: string): Promise<void> {
  const pattern = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(?:partial|old)-(\\d+)-`);
  for (const entry of await readdir(parent).catch(() => [] as string[])) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid)) {
      await rm(join(parent, entry), { recursive: true, force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
