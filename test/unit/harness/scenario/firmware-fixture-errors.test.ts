import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFirmwareImage } from '../../../../harness/scenario/firmware-fixtures.js';
import type { TestPki } from '../../../../simulator/pki/index.js';

// A .bin image is read as is: the PKI is never consulted before the read fails.
const NO_PKI = {} as TestPki;
let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('a firmware image that cannot be read says why, and where', () => {
  it('FIXTURE_NOT_FOUND - a missing file is named as missing, with the path looked at', async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialsim-fw-'));
    const path = join(dir, 'gone.bin');
    await expect(loadFirmwareImage(path, NO_PKI)).rejects.toMatchObject({
      code: 'FIXTURE_NOT_FOUND',
      message: expect.stringContaining(path),
    });
  });

  it('FIXTURE_UNREADABLE - a path that is there but cannot be read is not called missing: the cause is named', async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialsim-fw-'));
    const path = join(dir, 'a-folder.bin');
    await mkdir(path);
    await expect(loadFirmwareImage(path, NO_PKI)).rejects.toMatchObject({
      code: 'FIXTURE_UNREADABLE',
      message: expect.stringMatching(/cannot read .*a-folder\.bin \(EISDIR\)/),
    });
  });
});
