import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { ConnectionWatch } from '../../../../../simulator/adapters/mqtt/connection-watch.js';

/** A stand-in for MQTT.js's client: the watch only listens to its 'error' and 'close'. */
function watched() {
  const client = new EventEmitter();
  const faults: string[] = [];
  const watch = new ConnectionWatch(client as unknown as MqttClient, 'party-x', false, (f) =>
    faults.push(f.code),
  );
  return { client, watch, faults };
}

describe('ConnectionWatch.bounded', () => {
  it('ends as the send ends: resolved, or rejected with its error, or its synchronous throw', async () => {
    const { watch } = watched();
    await expect(watch.bounded(() => Promise.resolve('acknowledged'))).resolves.toBeUndefined();
    await expect(watch.bounded(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    await expect(
      watch.bounded(() => {
        throw new Error('thrown');
      }),
    ).rejects.toThrow('thrown');
  });

  it('a send still waiting when the connection is lost is rejected with the loss, and so is every later one', async () => {
    const { client, watch, faults } = watched();
    const waiting = watch.bounded(() => new Promise(() => {})); // a broker that never acknowledges
    client.emit('close');
    await expect(waiting).rejects.toMatchObject({ code: 'BROKER_CONNECTION_LOST' });
    await expect(watch.bounded(() => Promise.resolve())).rejects.toBe(watch.lost);
    expect(faults).toEqual(['BROKER_CONNECTION_LOST']);
  });
});
