import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The harness changes the DCC only through its front door (`stack.dcc.administer`, or a service
 * request) and reads it only through the read-only `stack.dcc.view`. The one exception is the
 * composition root that builds the DCC's first state before it starts (dcc-initial-state.ts).
 * A harness file reaching `dcc.core` or importing a mutating DCC function fails here.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const COMPOSITION_ROOT = 'harness/stack/dcc-initial-state.ts';
/** The domain functions that change the DCC's state from outside a handler: only administer() calls them. */
const MUTATORS =
  /\b(approveTrial|extendTrial|withdrawTrial|noteSponsorFailure|endTrial|addCplEntry|setCplStatus|registerParty|appointSupplierOfLastResort|reapplyCplRules)\s*\(/;

function harnessFiles(dir = 'harness'): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return harnessFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function offending(pattern: RegExp): string[] {
  return harnessFiles()
    .filter((file) => file !== COMPOSITION_ROOT)
    .flatMap((file) =>
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (pattern.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
}

describe('the DCC front door: the harness administers and views the DCC, never reaches into it', () => {
  it('scans the harness (the check itself works)', () => {
    expect(harnessFiles().length).toBeGreaterThan(50);
  });

  it('no harness file reaches the DCC core or its mutable state', () => {
    expect(offending(/\bdcc\.core\b|\.core\.state\b/)).toEqual([]);
  });

  it("no harness file calls a function that mutates the DCC's state", () => {
    expect(offending(MUTATORS)).toEqual([]);
  });
});
