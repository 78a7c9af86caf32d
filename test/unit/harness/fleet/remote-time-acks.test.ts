import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { fleetControlTopics } from '../../../../harness/fleet/remote-shard.js';
import { RemoteTimeAcks } from '../../../../harness/fleet/remote-time-acks.js';

/** The control connection as RemoteTimeAcks uses it: messages in, one subscription. */
class FakeControl extends EventEmitter {
  subscribed: string[] = [];
  async subscribeAsync(filter: string): Promise<void> {
    this.subscribed.push(filter);
  }
  say(topic: string, body: unknown): void {
    this.emit('message', topic, Buffer.from(JSON.stringify(body)));
  }
}

const topics = fleetControlTopics('ns');

describe('remote shard time acknowledgements: a worker lost is named at once, with its cause', () => {
  it('FLEET_WORKER_FAILED - a shard that could not take the time fails the wait at once, naming shard and cause', async () => {
    const control = new FakeControl();
    const acks = await RemoteTimeAcks.follow(control as unknown as MqttClient, 'ns', [1, 2]);
    expect(control.subscribed).toEqual([topics.timeAck('+')]);
    const waiting = acks.until(60_000);
    control.say(topics.timeAck(1), { now: 60_000, sent: 3, nextDue: null });
    control.say(topics.timeAck(2), { now: 60_000, error: 'device 00-12 could not send its answer' });
    await expect(waiting).rejects.toThrow(
      /^remote shard 2 could not take the time 1970-01-01T00:01:00\.000Z: device 00-12 could not send its answer$/,
    );
  });

  it('acknowledgements of the time from every shard end the wait, with their reports', async () => {
    const control = new FakeControl();
    const acks = await RemoteTimeAcks.follow(control as unknown as MqttClient, 'ns', [1, 2]);
    const waiting = acks.until(1_000);
    control.say(topics.timeAck(1), { now: 1_000, sent: 2, nextDue: 5_000 });
    control.say(topics.timeAck(2), { now: 2_000, sent: 0, nextDue: null });
    await waiting;
    expect(acks.reports.get(1)).toEqual({ sent: 2, nextDue: 5_000 });
    expect(acks.reports.get(2)).toEqual({ sent: 0, nextDue: undefined });
  });
});
