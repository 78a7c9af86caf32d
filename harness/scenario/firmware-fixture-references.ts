import { existsSync, readFileSync } from 'node:fs';
import { parseFirmwareRelease } from './firmware-fixtures.js';
import { resolveFixture } from './fixture-paths.js';

/** A step as written, with where it is in the file: a scenario step, or a fleet step's template. */
interface WrittenStep {
  readonly step: Record<string, unknown>;
  readonly at: readonly PropertyKey[];
}

/** Every step the file writes out: its steps, and the template steps of each fleet step's `do:`. */
function writtenSteps(steps: readonly Record<string, unknown>[]): WrittenStep[] {
  const out: WrittenStep[] = [];
  for (const [index, step] of steps.entries()) {
    out.push({ step, at: ['steps', index] });
    const templates = (step.fleet as { do?: unknown } | undefined)?.do;
    // A named procedure (`do: commission`) is trialsim's own and names no file.
    if (!Array.isArray(templates)) continue;
    for (const [t, template] of templates.entries())
      if (template !== null && typeof template === 'object')
        out.push({ step: template as Record<string, unknown>, at: ['steps', index, 'fleet', 'do', t] });
  }
  return out;
}

/**
 * Load-time check of `firmwareImage:` names in send and inject bodies (firmware-references.ts),
 * in the scenario's steps and in its fleet steps' templates alike: each must be a firmware
 * release file, relative to the scenario file (or one of trialsim's own in fixtures/firmware/),
 * so a misspelt image fails with the scenario's file and line rather than mid-run. A user's own
 * file is rewritten to its absolute path in the step (a template's once, for every device it
 * runs for), so the run reads the same file whatever its working folder. Returns the files, for
 * the evidence manifest.
 */
export function firmwareFixtureReferences(
  steps: readonly Record<string, unknown>[],
  scenarioFile: string,
  fail: (path: readonly PropertyKey[], problem: string) => never,
): string[] {
  const found: string[] = [];
  for (const { step, at } of writtenSteps(steps)) {
    for (const action of ['send', 'inject'] as const) {
      const body = (step[action] as { body?: Record<string, unknown> } | undefined)?.body;
      const name = body?.firmwareImage;
      if (body === undefined || name === undefined) continue;
      const path = [...at, action, 'body', 'firmwareImage'];
      if (typeof name !== 'string') fail(path, `${path.join('.')}: must be the name of a firmware fixture`);
      const lookup = resolveFixture(String(name), scenarioFile, 'firmware');
      if (!existsSync(lookup.path))
        fail(
          path,
          `${path.join('.')}: no firmware file "${String(name)}" (looked for ${lookup.looked.join(' and ')}; a path is relative to the scenario file)`,
        );
      // A release file is checked now (its image is built at the step, with the run's PKI), so
      // a wrong key fails `validate` with the release file's line, not the run halfway through.
      if (lookup.path.endsWith('.yaml')) {
        try {
          parseFirmwareRelease(readFileSync(lookup.path, 'utf8'), lookup.path);
        } catch (err) {
          fail(path, `${path.join('.')}: ${(err as Error).message}`);
        }
      }
      if (!lookup.builtIn) body.firmwareImage = lookup.path;
      found.push(lookup.path);
    }
  }
  return found;
}
