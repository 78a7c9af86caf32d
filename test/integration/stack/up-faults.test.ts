import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UpSession } from '../../../harness/live/up-session.js';
import { SCENARIOS_DIR } from '../../../harness/package-root.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';

/**
 * `trialsim up --auth` runs on the stack's own broker: when that broker goes, the session's
 * next clock tick reports the lost connections (up-command.ts ends `up` with them, exit 3)
 * instead of a stack that silently no longer works. The bound is the test's timeout.
 */
let dir: string | undefined;
let session: UpSession | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('up --auth: a fault of the running stack is reported, not left running', () => {
  it('BROKER_CONNECTION_LOST - the stack broker killed: onError hears the lost connection; stop() still ends', {
    timeout: 20_000,
  }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'trialsim-up-faults-'));
    let reported!: (err: unknown) => void;
    const fault = new Promise<unknown>((resolve) => {
      reported = resolve;
    });
    session = await UpSession.start(await loadScenario(join(SCENARIOS_DIR, 'commissioning.yaml')), {
      port: 0,
      host: '127.0.0.1',
      seed: 'up-faults',
      dir,
      namespace: 'upfaults',
      auth: true,
      onError: (err) => reported(err),
    });
    expect(session.broker).toBeUndefined();
    expect(session.connection.auth).toBe(true);
    expect(session.connection.brokerUrl).toBe(session.live.stack.brokerUrl);
    await session.live.stack.killBroker();
    expect(String(await fault)).toMatch(/BROKER_CONNECTION_LOST|broker closed its connection/);
  });
});
