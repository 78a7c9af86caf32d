import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EmbeddedBroker,
  startEmbeddedBroker,
} from '../../../simulator/adapters/mqtt/embedded-broker.js';
import { connectMqttClient } from '../../../simulator/adapters/mqtt/mqtt-client-connection.js';

let broker: EmbeddedBroker | undefined;
afterEach(async () => {
  await broker?.close();
  broker = undefined;
});

function socketPathOf(url: string): string {
  return url.slice('mqtt+unix://'.length);
}

describe('embedded broker: a Unix socket for in-process parties beside loopback TCP', () => {
  it('one broker on both: a message published over the Unix socket reaches a TCP subscriber', async () => {
    broker = await startEmbeddedBroker({ localSocket: true });
    expect(broker.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(broker.localUrl).toMatch(/^mqtt\+unix:\/\/\/.+\.sock$/);
    const overTcp = await connectMqttClient({ url: broker.url, clientId: 'tcp-side' });
    const overUnix = await connectMqttClient({ url: broker.localUrl, clientId: 'unix-side' });
    try {
      await overTcp.subscribeAsync('t/x', { qos: 1 });
      const arrived = new Promise<string>((resolve) =>
        overTcp.once('message', (_topic, payload) => resolve(payload.toString())),
      );
      await overUnix.publishAsync('t/x', 'hello', { qos: 1 });
      expect(await arrived).toBe('hello');
    } finally {
      await overTcp.endAsync();
      await overUnix.endAsync();
    }
  });

  it('removes its socket file on close, and listens on it again after a restart', async () => {
    broker = await startEmbeddedBroker({ localSocket: true });
    const path = socketPathOf(broker.localUrl);
    expect(existsSync(path)).toBe(true);
    await broker.restart();
    const client = await connectMqttClient({ url: broker.localUrl, clientId: 'after-restart' });
    await client.endAsync();
    await broker.close();
    broker = undefined;
    expect(existsSync(path)).toBe(false);
  });

  it('without localSocket the local URL is the TCP one', async () => {
    broker = await startEmbeddedBroker();
    expect(broker.localUrl).toBe(broker.url);
  });

  it('falls back to TCP where no Unix socket can be had (here: a temp folder that is not there)', async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = join(tmpdir(), `trialsim-no-such-folder-${process.pid}`, 'deeper');
    try {
      broker = await startEmbeddedBroker({ localSocket: true });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(broker.localUrl).toBe(broker.url);
    const client = await connectMqttClient({ url: broker.localUrl, clientId: 'fell-back' });
    await client.endAsync();
  });
});
