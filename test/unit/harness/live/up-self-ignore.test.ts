import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSelfIgnore } from '../../../../harness/live/up-connection.js';

describe("up's folder ignores itself (it holds private keys)", () => {
  it('writes a .gitignore matching everything in it, itself included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trialsim-up-ignore-'));
    try {
      await writeSelfIgnore(dir);
      const lines = (await readFile(join(dir, '.gitignore'), 'utf8')).split('\n');
      expect(lines.filter((l) => l !== '' && !l.startsWith('#'))).toEqual(['*']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
