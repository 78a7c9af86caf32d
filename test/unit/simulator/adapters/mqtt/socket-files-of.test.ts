import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeSocketFilesOf } from '../../../../../simulator/adapters/mqtt/embedded-broker.js';

/**
 * A parent stopped by a signal exits before its scenario workers run their exit hooks, so it
 * removes their brokers' socket files itself (worker-pool.ts): exactly that worker's, no other's.
 */
describe('removeSocketFilesOf', () => {
  const saved = process.env.TMPDIR;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socket-files-'));
    process.env.TMPDIR = dir;
  });
  afterEach(() => {
    // Test files share worker processes (test/README.md): the environment goes back as it was.
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it("removes the process's socket files and leaves every other file", () => {
    const names = [
      'trialsim-4242-1.sock',
      'trialsim-4242-7.sock',
      'trialsim-42420-1.sock',
      'trialsim-424-1.sock',
      'trialsim-4242-1.sock.keep',
      'evidence.json',
    ];
    for (const name of names) writeFileSync(join(dir, name), '');
    removeSocketFilesOf(4242);
    expect(readdirSync(dir).sort()).toEqual(
      ['evidence.json', 'trialsim-424-1.sock', 'trialsim-4242-1.sock.keep', 'trialsim-42420-1.sock'].sort(),
    );
  });

  it('a missing temp folder is nothing to remove, not an error', () => {
    process.env.TMPDIR = join(dir, 'gone');
    expect(() => removeSocketFilesOf(4242)).not.toThrow();
  });
});
