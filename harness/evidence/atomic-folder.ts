import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { checkEvidenceTarget } from './evidence-target.js';

/**
 * Writes a folder atomically: everything goes into a hidden sibling (same file system, so the
 * rename is atomic), and only a complete folder is renamed into place. A run interrupted before
 * the rename leaves only the hidden `.NAME.partial-*` folder, whose envelope is written last, so
 * it never verifies; the earlier bundle, if any, stays whole until the swap.
 */
export async function writeFolderAtomically<T>(
  target: string,
  write: (dir: string) => Promise<T>,
): Promise<T> {
  const abs = resolve(target);
  const parent = dirname(abs);
  await mkdir(parent, { recursive: true });
  await removeAbandoned(parent, basename(abs));
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const partial = join(parent, `.${basename(abs)}.partial-${stamp}`);
  await mkdir(partial);
  try {
    const written = await write(partial);
    // Checked again at the swap: something put into the folder during the run is not replaced.
    await checkEvidenceTarget(abs);
    const previous = await stat(abs).catch(() => undefined);
    let old: string | undefined;
    if (previous !== undefined) {
      old = join(parent, `.${basename(abs)}.old-${stamp}`);
      await rename(abs, old);
    }
    await rename(partial, abs);
    if (old !== undefined) await rm(old, { recursive: true, force: true });
    return written;
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
