import mqtt, { type MqttClient } from 'mqtt';
import { TOPIC_ROOT } from '../../simulator/adapters/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { startShard } from './fleet-shard.js';

/**
 * Fleets across machines. A shard on another machine has no IPC channel to the main process,
 * so it learns what it needs over the run's (external) broker, on control topics beside the
 * simulation's:
 *
 *   trialsim/v1/{ns}/fleet/clock          main → shards   {"now": ms}; retained, so a late shard gets it
 *   trialsim/v1/{ns}/fleet/ready/{shard}  shard → main    {"first", "count"}; retained
 *   trialsim/v1/{ns}/fleet/time/{shard}   shard → main    {"now", "sent", "nextDue"} once applied, or
 *                                                         {"now", "error"} when it could not be; retained
 *   trialsim/v1/{ns}/fleet/stop           main → shards   the run is over
 *
 * These topics are outside BrokerAccessControl's scheme: remote shards need an external broker
 * that lets the fleet's control clients use them (anonymous on a private network, or an ACL).
 */
export function fleetControlTopics(namespace: string) {
  const base = `${TOPIC_ROOT}/${namespace}/fleet`;
  return {
    clock: `${base}/clock`,
    ready: (shard: number | '+') => `${base}/ready/${shard}`,
    timeAck: (shard: number | '+') => `${base}/time/${shard}`,
    /** The shard number of a `time/{shard}` topic; undefined for any other topic. */
    shardOfTimeAck: (topic: string): number | undefined => {
      const match = topic.startsWith(`${base}/time/`)
        ? /^(0|[1-9][0-9]{0,5})$/.exec(topic.slice(base.length + 6))
        : null;
      return match === null ? undefined : Number(match[1]);
    },
    stop: `${base}/stop`,
  };
}

export const REMOTE_SHARD_USAGE =
  'usage: node dist/harness/fleet/fleet-worker.js --broker mqtt://host:port --seed SEED --namespace NS ' +
  '--shard K --first I --count N [--fresh]';

interface RemoteShardArgs {
  readonly broker: string;
  readonly seed: string;
  readonly namespace: string;
  readonly shard: number;
  readonly first: number;
  readonly count: number;
  readonly preinstalled: boolean;
}

export function parseRemoteShardArgs(argv: readonly string[]): RemoteShardArgs {
  const value = (flag: string): string => {
    const at = argv.indexOf(flag);
    const found = at < 0 ? undefined : argv[at + 1];
    if (found === undefined || found.startsWith('--')) {
      throw new TrialsimError('FLEET_ARGS', `${flag} is required\n${REMOTE_SHARD_USAGE}`);
    }
    return found;
  };
  const whole = (flag: string): number => {
    const number = Number(value(flag));
    if (!Number.isSafeInteger(number) || number < 0) {
      throw new TrialsimError('FLEET_ARGS', `${flag} must be a whole number\n${REMOTE_SHARD_USAGE}`);
    }
    return number;
  };
  const broker = value('--broker');
  if (!/^mqtts?:\/\//.test(broker))
    throw new TrialsimError('FLEET_ARGS', `--broker must be mqtt://host:port\n${REMOTE_SHARD_USAGE}`);
  return {
    broker,
    seed: value('--seed'),
    namespace: value('--namespace'),
    shard: whole('--shard'),
    first: whole('--first'),
    count: whole('--count'),
    preinstalled: !argv.includes('--fresh'),
  };
}

export async function connectControl(url: string, clientId: string): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    clean: true,
  });
  (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
  return client;
}

/** Runs one shard on this machine until the main process says stop (or SIGINT/SIGTERM). */
export async function runRemoteShard(argv: readonly string[]): Promise<void> {
  const args = parseRemoteShardArgs(argv);
  const topics = fleetControlTopics(args.namespace);
  const control = await connectControl(args.broker, `${args.namespace}-fleet-shard-${args.shard}`);
  // The main process's clock, retained on the broker: this waits until the main process is up.
  const now = await new Promise<number>((resolve) => {
    control.on('message', function first(topic, payload) {
      if (topic !== topics.clock || payload.length === 0) return;
      control.off('message', first);
      resolve((JSON.parse(payload.toString()) as { now: number }).now);
    });
    void control.subscribeAsync([topics.clock, topics.stop], { qos: 1 });
  });
  const shard = await startShard({
    type: 'start',
    shard: args.shard,
    seed: args.seed,
    namespace: args.namespace,
    brokerUrl: args.broker,
    now,
    first: args.first,
    count: args.count,
    preinstalled: args.preinstalled,
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await shard.stop();
      await control.publishAsync(topics.ready(args.shard), '', { qos: 1, retain: true });
      await control.publishAsync(topics.timeAck(args.shard), '', { qos: 1, retain: true });
      await control.endAsync();
    })();
    return stopping;
  };
  // Each time taken is acknowledged (with what the devices sent and their next timer), so the
  // main process knows before it sends anything else.
  const take = (applied: number) =>
    shard
      .advance(applied)
      .then((report) =>
        control.publishAsync(
          topics.timeAck(args.shard),
          JSON.stringify({ now: applied, sent: report.sent, nextDue: report.nextDue ?? null }),
          { qos: 1, retain: true },
        ),
      )
      .catch((err: unknown) => {
        // The main process waits for this acknowledgement: it hears the cause now, not after
        // its guard with a guess ("stopped, or cut off").
        const error = err instanceof Error ? err.message : String(err);
        process.stderr.write(`fleet shard ${args.shard}: could not take the time: ${error}\n`);
        return control
          .publishAsync(topics.timeAck(args.shard), JSON.stringify({ now: applied, error }), {
            qos: 1,
            retain: true,
          })
          .catch(() => {}); // cut off from the broker too: the main process's guard names that
      });
  control.on('message', (topic, payload) => {
    if (topic === topics.clock && payload.length > 0) {
      void take((JSON.parse(payload.toString()) as { now: number }).now);
    }
    if (topic === topics.stop) void stop();
  });
  void take(now);
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await control.publishAsync(
    topics.ready(args.shard),
    JSON.stringify({ first: args.first, count: args.count }),
    {
      qos: 1,
      retain: true,
    },
  );
  process.stdout.write(
    `fleet shard ${args.shard}: ${args.count} devices from ${args.first} ready on ${args.broker}\n`,
  );
  await new Promise<void>((resolve) => control.once('end', () => resolve()));
}
