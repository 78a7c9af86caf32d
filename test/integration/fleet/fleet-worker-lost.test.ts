import { describe, expect, it } from 'vitest';
import { Fleet } from '../../../harness/fleet/fleet.js';

describe('a fleet whose worker process dies', () => {
  it('moving time on fails with FLEET_WORKER_FAILED naming the worker, instead of waiting forever', async () => {
    const start = Date.parse('2027-01-04T09:00:00Z');
    const fleet = await Fleet.start({ seed: 'fleet-worker-lost', start, devices: 4, workers: 2 });
    try {
      const lost = fleet.reports[1];
      expect(lost?.pid).toBeTypeOf('number');
      process.kill(lost?.pid as number, 'SIGKILL');
      await expect(fleet.advanceTo(start + 3_600_000)).rejects.toMatchObject({
        code: 'FLEET_WORKER_FAILED',
        message: expect.stringMatching(/fleet worker 1 /),
      });
    } finally {
      await fleet.stop();
    }
  }, 60_000);
});
