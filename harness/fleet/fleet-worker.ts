import type { FromWorker, ToWorker } from './fleet-protocol.js';
import { type RunningShard, rssMb, startShard } from './fleet-shard.js';
import { runRemoteShard } from './remote-shard.js';

/**
 * A fleet worker: a share of the simulated devices in their own process, on one shared MQTT
 * connection to the run's broker. Two ways to run it:
 * - forked by Fleet (fleet.ts) on the same machine, told what to do over the IPC channel;
 * - by hand on another machine (`node dist/harness/fleet/fleet-worker.js --broker mqtt://… …`),
 *   told the virtual time over the broker itself (remote-shard.ts).
 */

let shard: RunningShard | undefined;

function send(message: FromWorker): void {
  process.send?.(message);
}

if (process.send === undefined) {
  await runRemoteShard(process.argv.slice(2));
} else {
  process.on('message', (message: ToWorker) => {
    const run = async () => {
      if (message.type === 'start') {
        shard = await startShard(message);
        send({
          type: 'started',
          shard: message.shard,
          kaPublic: shard.kaPublic.toString('base64'),
          startMs: shard.startMs,
          rssBeforeMb: shard.rssBeforeMb,
          rssAfterMb: rssMb(),
        });
      } else if (message.type === 'time') {
        const report = await shard?.advance(message.now);
        if (message.ack !== undefined) {
          send({
            type: 'timeAck',
            ack: message.ack,
            sent: report?.sent ?? 0,
            nextDue: report?.nextDue ?? null,
          });
        }
      } else if (message.type === 'stop') {
        await shard?.stop();
        send({ type: 'stopped' });
        process.disconnect?.();
      }
    };
    run().catch((err: unknown) => send({ type: 'failed', message: (err as Error).stack ?? String(err) }));
  });
  // The main process going away must not leave a worker behind (STACK.md, "hanging processes").
  process.on('disconnect', () => process.exit(0));
}
