import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { coalesceWritesPerTurn } from '../../../simulator/adapters/mqtt/write-coalescing.js';

/** A loopback TCP pair: the client socket and everything the server side receives. */
async function socketPair(): Promise<{ client: Socket; received: () => Promise<string>; server: Server }> {
  let serverSide: Socket | undefined;
  const chunks: Buffer[] = [];
  const server = createServer((socket) => {
    serverSide = socket;
    socket.on('data', (chunk) => chunks.push(chunk));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const client = connect({ port, host: '127.0.0.1', noDelay: true });
  await once(client, 'connect');
  return {
    client,
    server,
    received: async () => {
      client.end();
      if (serverSide !== undefined && !serverSide.readableEnded) await once(serverSide, 'end');
      return Buffer.concat(chunks).toString();
    },
  };
}

/** Counts the system-call-level writes a socket makes (one per _write or _writev). */
function countWrites(socket: Socket): { calls: number; chunks: number } {
  const counts = { calls: 0, chunks: 0 };
  const raw = socket as unknown as {
    _write: (chunk: unknown, encoding: unknown, cb: unknown) => void;
    _writev: (chunks: unknown[], cb: unknown) => void;
  };
  const write = raw._write.bind(socket);
  const writev = raw._writev.bind(socket);
  raw._write = (chunk, encoding, cb) => {
    counts.calls++;
    counts.chunks++;
    write(chunk, encoding, cb);
  };
  raw._writev = (chunks, cb) => {
    counts.calls++;
    counts.chunks += chunks.length;
    writev(chunks, cb);
  };
  return counts;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** Writes A now, B in a promise job and C on the next tick: one turn, three packets. */
async function writeThreeInOneTurn(client: Socket): Promise<void> {
  client.write('A');
  await Promise.resolve();
  client.write('B');
  process.nextTick(() => client.write('C'));
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}

describe('writes coalesced per event-loop turn', () => {
  it('sends a turn’s packets in one write, in order', async () => {
    const pair = await socketPair();
    servers.push(pair.server);
    coalesceWritesPerTurn(pair.client);
    const counts = countWrites(pair.client);
    await writeThreeInOneTurn(pair.client);
    expect(counts).toEqual({ calls: 1, chunks: 3 });
    expect(await pair.received()).toBe('ABC');
  });

  it('without it the same turn costs a write per packet (what the coalescing saves)', async () => {
    const pair = await socketPair();
    servers.push(pair.server);
    const counts = countWrites(pair.client);
    await writeThreeInOneTurn(pair.client);
    expect(counts.calls).toBe(3);
    expect(await pair.received()).toBe('ABC');
  });

  it('a later turn is a new write, and end() flushes what is held', async () => {
    const pair = await socketPair();
    servers.push(pair.server);
    coalesceWritesPerTurn(pair.client);
    coalesceWritesPerTurn(pair.client); // applying twice changes nothing
    const counts = countWrites(pair.client);
    pair.client.write('1');
    await new Promise((resolve) => setImmediate(resolve));
    pair.client.write('2');
    expect(await pair.received()).toBe('12');
    expect(counts.calls).toBe(2);
  });

  it('a socket destroyed with writes held does not throw when the turn ends', async () => {
    const pair = await socketPair();
    servers.push(pair.server);
    coalesceWritesPerTurn(pair.client);
    pair.client.write('lost');
    pair.client.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pair.client.destroyed).toBe(true);
  });
});
