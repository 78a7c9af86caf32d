import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '../package-root.js';

/**
 * Load-time check of `firmwareImage:` names in send bodies (firmware-references.ts): each must be
 * a file in fixtures/firmware/, so a misspelt image fails with the scenario's file and line
 * rather than mid-run. Returns the fixture files, for the evidence manifest.
 */
export function firmwareFixtureReferences(
  steps: readonly Record<string, unknown>[],
  fail: (path: readonly PropertyKey[], problem: string) => never,
): string[] {
  const found: string[] = [];
  for (const [index, step] of steps.entries()) {
    const body = (step.send as { body?: Record<string, unknown> } | undefined)?.body;
    const name = body?.firmwareImage;
    if (name === undefined) continue;
    const path = ['steps', index, 'send', 'body', 'firmwareImage'];
    if (typeof name !== 'string') fail(path, `${path.join('.')}: must be the name of a firmware fixture`);
    const base = join(FIXTURES_DIR, 'firmware', String(name).replace(/\.(yaml|bin)$/, ''));
    const file = String(name).endsWith('.bin') ? `${base}.bin` : `${base}.yaml`;
    if (!existsSync(file))
      fail(path, `${path.join('.')}: no firmware fixture "${String(name)}" (looked for ${file})`);
    found.push(file);
  }
  return found;
}
