import type { MqttClient } from 'mqtt';
import { TrialsimError } from '../../simulator/errors.js';
import type { ShardTimeReport } from './fleet-shard.js';
import { fleetControlTopics } from './remote-shard.js';

/** How long the main process waits for a remote shard to take a new time, real ms. */
const REMOTE_TIME_GUARD_MS = 30_000;

/**
 * The virtual time each remote shard says it has applied. The clock goes to remote shards on a
 * control connection, the devices' commands on others, and MQTT orders nothing across
 * connections: a command sent right after a time change could reach a shard first and run at the
 * old time. So a shard acknowledges each time it applies (retained, `fleet/time/{shard}`), and
 * the fleet waits for every acknowledgement before it lets anything else happen.
 */
export class RemoteTimeAcks {
  private readonly applied = new Map<number, number>();
  /** Each shard's last report: messages its devices sent, its next device timer. */
  readonly reports = new Map<number, ShardTimeReport>();
  /** Shards that said they could not take a time, with why. */
  private readonly failures = new Map<number, { now: number; error: string }>();
  private wake: (() => void) | undefined;

  private constructor(private readonly shards: readonly number[]) {}

  static async follow(
    control: MqttClient,
    namespace: string,
    shards: readonly number[],
  ): Promise<RemoteTimeAcks> {
    const acks = new RemoteTimeAcks(shards);
    const topics = fleetControlTopics(namespace);
    control.on('message', (topic, payload) => {
      const shard = topics.shardOfTimeAck(topic);
      if (shard === undefined || payload.length === 0) return;
      const said = JSON.parse(payload.toString()) as {
        now: number;
        sent?: number;
        nextDue?: number | null;
        error?: string;
      };
      if (said.now < (acks.applied.get(shard) ?? Number.NEGATIVE_INFINITY)) return; // an older ack
      if (said.error !== undefined) {
        acks.failures.set(shard, { now: said.now, error: said.error });
        acks.wake?.();
        return;
      }
      acks.applied.set(shard, said.now);
      acks.reports.set(shard, { sent: said.sent ?? 0, nextDue: said.nextDue ?? undefined });
      acks.wake?.();
    });
    await control.subscribeAsync(topics.timeAck('+'), { qos: 1 });
    return acks;
  }

  /** Resolves once every remote shard has applied `now` (or a later time). */
  async until(now: number): Promise<void> {
    const deadline = performance.now() + REMOTE_TIME_GUARD_MS;
    for (;;) {
      const [failed] = this.failures;
      if (failed !== undefined) {
        const [shard, { now: at, error }] = failed;
        throw new TrialsimError(
          'FLEET_WORKER_FAILED',
          `remote shard ${shard} could not take the time ${new Date(at).toISOString()}: ${error}`,
        );
      }
      const behind = this.shards.filter(
        (shard) => (this.applied.get(shard) ?? Number.NEGATIVE_INFINITY) < now,
      );
      if (behind.length === 0) return;
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new TrialsimError(
          'FLEET_TIME_SYNC',
          `remote shard(s) ${behind.join(', ')} did not take the time ${new Date(now).toISOString()} within ${REMOTE_TIME_GUARD_MS} ms (stopped, or cut off from the broker?)`,
        );
      }
      await new Promise<void>((resolve) => {
        const guard = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(guard);
          resolve();
        };
      });
    }
  }
}
