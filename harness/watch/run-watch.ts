import { MqttTransport } from '../../simulator/adapters/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { stackNames } from '../live/stack-view.js';
import type { LoadedScenario } from '../scenario/scenario-loader.js';
import type { SimStack } from '../stack/sim-stack.js';
import { LiveFeed } from './live-feed.js';
import { watchTopic } from './watch-topic.js';

/** Publishes a run's decoded messages, scenario after scenario (`trialsim run --watch`). */
export interface RunWatchPublisher {
  /** Starts publishing a scenario's stack (a suite's `onStackStarted`). */
  onStackStarted(stack: SimStack, scenario: LoadedScenario): Promise<void>;
  /** Publishes what is left and disconnects. */
  close(): Promise<void>;
}

/**
 * `run --watch`: each scenario's decoded messages on the run's external broker, on
 * `trialsim/v1/<the scenario's namespace>/watch`, for `trialsim watch --broker URL --namespace +`.
 * Its own client, outside the stack's activity tracking, so watching never delays the run.
 */
export async function startRunWatch(brokerUrl: string): Promise<RunWatchPublisher> {
  const link = await MqttTransport.connect({
    url: brokerUrl,
    clientId: `trialsim-run-watch-${process.pid}`,
  }).catch((cause: unknown) => {
    throw new TrialsimError(
      'BROKER_UNREACHABLE',
      `--watch cannot publish on ${brokerUrl}: ${String(cause)}`,
      {
        cause,
      },
    );
  });
  let feed: LiveFeed | undefined;
  let sending: Promise<unknown> = Promise.resolve();
  const finishFeed = () => {
    feed?.flush();
    feed?.close();
    feed = undefined;
  };
  return {
    async onStackStarted(stack) {
      finishFeed();
      const topic = watchTopic(stack.topics.namespace);
      feed = new LiveFeed(stack.trace, stackNames(stack));
      feed.subscribe((batch) => {
        for (const entry of batch) {
          const published = link.publish(topic, Buffer.from(JSON.stringify(entry)));
          sending = Promise.all([sending, published.catch(() => undefined)]);
        }
      }, 'the run --watch stream');
    },
    async close() {
      finishFeed();
      await sending;
      await link.close();
    },
  };
}
