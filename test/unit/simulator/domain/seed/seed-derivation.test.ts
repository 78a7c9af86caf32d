import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type SeedPurpose,
  seedBytes,
  seedStreamBlock,
} from '../../../../../simulator/domain/seed/seed-derivation.js';

const PURPOSES: readonly SeedPurpose[] = ['pki/key', 'pki/serial', 'broker/credentials'];
const root = join(import.meta.dirname, '..', '..', '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('seed derivation: one place turns the seed into keys, serials, passwords and random streams', () => {
  it('is deterministic: the same seed, purpose and label give the same 32 bytes', () => {
    expect(seedBytes('s', 'pki/key', 'dcc').equals(seedBytes('s', 'pki/key', 'dcc'))).toBe(true);
    expect(seedBytes('s', 'pki/key', 'dcc')).toHaveLength(32);
  });

  it('keeps the bytes earlier runs derived, so recorded keys and serials stay reproducible (known answers)', () => {
    // HMAC-SHA256(key = seed, "trialsim/pki/serial\0dcc") and (…"pki/key\0dcc\00"): the schemes before this module.
    expect(seedBytes('trialsim-default-seed', 'pki/serial', 'dcc').toString('hex')).toBe(
      'eeea07702172bf8aa4a7d4d1b089826e5b283798de8ff7641898de6baa41f289',
    );
    expect(seedBytes('trialsim-default-seed', 'pki/key', 'dcc\u00000').toString('hex')).toBe(
      '3b838ddd830ba3778b0830c8517c9d31d8c2ac6e3e6777c9ad7899495263d42e',
    );
  });

  it('never gives two (purpose, label) pairs, or two seeds, the same bytes', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.constantFrom(...PURPOSES),
        fc.constantFrom(...PURPOSES),
        fc.string(),
        fc.string(),
        (seedA, seedB, purposeA, purposeB, labelA, labelB) => {
          fc.pre(seedA !== seedB || purposeA !== purposeB || labelA !== labelB);
          expect(seedBytes(seedA, purposeA, labelA).equals(seedBytes(seedB, purposeB, labelB))).toBe(false);
        },
      ),
    );
  });

  it('random stream blocks differ by label and counter', () => {
    expect(seedStreamBlock('s', 'faults', 0).equals(seedStreamBlock('s', 'faults', 1))).toBe(false);
    expect(seedStreamBlock('s', 'faults', 0).equals(seedStreamBlock('s', 'churn', 0))).toBe(false);
  });

  it('no other source file derives material from a seed with its own HMAC or hash scheme', () => {
    const offenders = ['simulator', 'harness']
      .flatMap(sourceFiles)
      .filter((file) => !file.endsWith('seed-derivation.ts'))
      .filter((file) =>
        /create(Hmac|Hash)\([^)]*\)\s*\.update\([^)]*seed/i.test(readFileSync(join(root, file), 'utf8')),
      )
      .map((file) => relative(root, join(root, file)));
    expect(offenders).toEqual([]);
  });
});
