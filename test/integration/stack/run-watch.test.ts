import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from '../../../harness/package-root.js';
import type { Reporter } from '../../../harness/reporters/reporter.js';
import { runSuite } from '../../../harness/suite/run-suite.js';
import { startRunWatch } from '../../../harness/watch/run-watch.js';
import { watchStack } from '../../../harness/watch/watch-client.js';
import type { WatchEntry } from '../../../harness/watch/watch-entry.js';
import { watchTopic } from '../../../harness/watch/watch-topic.js';
import {
  type EmbeddedBroker,
  startEmbeddedBroker,
} from '../../../simulator/adapters/mqtt/embedded-broker.js';

let broker: EmbeddedBroker;
beforeAll(async () => {
  // An open broker of the user's, as `trialsim broker` gives one.
  broker = await startEmbeddedBroker({ port: 0 });
});
afterAll(async () => {
  await broker?.close();
});

describe("run --watch: a run's decoded messages on its broker, for trialsim watch", () => {
  it('a watcher on every namespace sees the filtered messages of each scenario the run plays', async () => {
    const seen: WatchEntry[] = [];
    let resolveCommissioned!: () => void;
    // The watcher's last expected line: the 8.1.1's final I0 (after its I99).
    const commissioned = new Promise<void>((resolve) => {
      resolveCommissioned = resolve;
    });
    const watcher = await watchStack({
      brokerUrl: broker.url,
      topic: watchTopic('+'),
      clientId: 'run-watch-test',
      filter: { srvs: ['8.1.1'], devices: ['esme1'] },
      onEntry: (e) => {
        seen.push(e);
        if (e.code === 'I0' && seen.some((x) => x.code === 'I99')) resolveCommissioned();
      },
      onProblem: (p) => {
        throw new Error(p);
      },
    });
    const publisher = await startRunWatch(broker.url);
    const none: Reporter[] = [];
    try {
      const results = await runSuite({
        files: [join(SCENARIOS_DIR, 'commissioning.yaml')],
        seed: 'run-watch',
        brokerUrl: broker.url,
        onStackStarted: (stack, scenario) => publisher.onStackStarted(stack, scenario),
        bail: false,
        parallel: 1,
        reporters: none,
      });
      expect(results.verdict).toBe('passed');
    } finally {
      await publisher.close();
    }
    await commissioned;
    await watcher.stop();
    expect(seen.map((e) => [e.kind, e.fromName, e.toName, e.code])).toEqual([
      ['serviceRequest', 'supplier-a', 'DCC', undefined],
      ['serviceResponse', 'DCC', 'supplier-a', 'I0'],
      ['serviceRequest', 'supplier-a', 'DCC', undefined],
      ['serviceResponse', 'DCC', 'supplier-a', 'I99'],
      ['gbcs', 'DCC', 'esme1', undefined],
      ['gbcs', 'esme1', 'DCC', undefined],
      ['serviceResponse', 'DCC', 'supplier-a', 'I0'],
    ]);
  });
});
