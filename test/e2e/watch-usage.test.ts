import { describe, expect, it } from 'vitest';
import { tempDir, trialsim } from '../support/cli-in-process.js';

describe('watch and run --watch: wrong use is a usage error saying what to do (exit 2)', () => {
  it('run --watch without --broker', async () => {
    const work = await tempDir('run-watch');
    try {
      const run = await trialsim(
        'run',
        'scenarios/commissioning.yaml',
        '--watch',
        '--out',
        `${work.path}/ev`,
      );
      expect(run.stderr).toMatch(/--watch needs --broker/);
      expect(run.code).toBe(2);
    } finally {
      await work.remove();
    }
  });

  it('watch with no running stack', async () => {
    const work = await tempDir('watch');
    try {
      const run = await trialsim('watch', '--stack', work.path);
      expect(run.stderr).toMatch(/no running stack described at .*up\.json: start one with `trialsim up`/);
      expect(run.code).toBe(2);
    } finally {
      await work.remove();
    }
  });
});
