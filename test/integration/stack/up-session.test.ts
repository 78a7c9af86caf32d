import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpSession } from '../../../harness/live/up-session.js';
import { SCENARIOS_DIR } from '../../../harness/package-root.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import { watchStack } from '../../../harness/watch/watch-client.js';
import type { WatchEntry } from '../../../harness/watch/watch-entry.js';

let dir: string;
let session: UpSession;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-up-session-'));
  session = await UpSession.start(await loadScenario(join(SCENARIOS_DIR, 'commissioning.yaml')), {
    port: 0,
    host: '127.0.0.1',
    seed: 'up-session',
    dir,
    namespace: 'upsession',
    onError: (err) => {
      throw err;
    },
  });
});
afterAll(async () => {
  await session?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("up's session: the watch topic carries the stack's decoded messages, and says when it stops", () => {
  it('a watcher on the broker gets the filtered messages of an SR, then hears the stack stop', async () => {
    const seen: WatchEntry[] = [];
    const problems: string[] = [];
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((resolve) => {
      resolveStopped = resolve;
    });
    let resolveAnswered!: () => void;
    const answered = new Promise<void>((resolve) => {
      resolveAnswered = resolve;
    });
    const watcher = await watchStack({
      brokerUrl: session.connection.brokerUrl,
      topic: session.connection.watchTopic as string,
      clientId: 'up-session-watcher',
      filter: { srvs: ['12.2'] },
      onEntry: (e) => {
        seen.push(e);
        if (e.kind === 'serviceResponse') resolveAnswered();
      },
      onProblem: (p) => problems.push(p),
      onStopped: () => resolveStopped(),
    });
    try {
      await (await session.live.send({ as: 'supplier-a', srv: '8.2', device: 'chf1' })).result;
      const sent = await session.live.send({ as: 'supplier-a', srv: '12.2', device: 'esme1' });
      await sent.result;
      await answered;
      expect(seen.map((e) => [e.kind, e.fromName, e.toName, e.srv, e.code, e.requestId])).toEqual([
        ['serviceRequest', 'supplier-a', 'DCC', '12.2', undefined, sent.requestId],
        ['serviceResponse', 'DCC', 'supplier-a', '12.2', 'I0', sent.requestId],
      ]);
      expect(session.hint()).toBe(`trialsim sr --stack ${dir} --as supplier-a --srv 8.2 --device chf1`);
      expect((await stat(session.upFile)).isFile()).toBe(true);
      expect(JSON.parse(await readFile(session.upFile, 'utf8')).watchTopic).toBe(
        'trialsim/v1/upsession/watch',
      );
      await session.stop();
      await stopped;
      await expect(stat(session.upFile)).rejects.toThrow(/ENOENT/);
      expect(problems).toEqual([]);
    } finally {
      await watcher.stop();
    }
  });
});
