import { readdirSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aedes, type AedesOptions } from 'aedes';
import { TrialsimError } from '../../errors.js';
import { MAX_MESSAGE_BYTES } from '../wire/cbor-codec.js';
import type { BrokerAccessControl } from './broker-access-control.js';
import { guardPacketSize } from './packet-size-guard.js';
import { coalesceWritesPerTurn } from './write-coalescing.js';

export interface EmbeddedBroker {
  /** Where anyone on this machine reaches the broker: `mqtt://127.0.0.1:port`. */
  readonly url: string;
  readonly port: number;
  /**
   * Where parties in this process should connect: a Unix domain socket (`mqtt+unix://…`) when
   * `localSocket` was asked for and the platform has them, else `url`. Same broker, same access
   * control; only the kernel's path is shorter (no TCP/IP stack per packet).
   */
  readonly localUrl: string;
  /** The running aedes instance (a new one after each restart). */
  readonly aedes: Aedes;
  close(): Promise<void>;
  /**
   * A broker restart fault: every connection drops, then the broker listens again on the same
   * port with the same session store, so persistent sessions (clean: false) and the QoS 1
   * messages queued for them survive, as they would on a broker with durable persistence.
   */
  restart(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  /** 0 picks a free port (the default, so parallel runs never collide). */
  readonly port?: number;
  readonly host?: string;
  /** Authentication and per-party topic ACLs; omitted → an open broker (loopback only). */
  readonly accessControl?: BrokerAccessControl;
  /** Largest MQTT packet accepted; a bigger one closes its connection. Default: a message plus headers. */
  readonly maxPacketBytes?: number;
  /**
   * Also listen on a Unix domain socket for in-process parties. Every SR crosses the broker ~20
   * times as separate small packets; over loopback TCP each costs a trip through the TCP stack,
   * over a Unix socket about half as much (bench/FIGURES.md). Default false.
   */
  readonly localSocket?: boolean;
}

/** Room for the fixed and variable headers and the topic around a MAX_MESSAGE_BYTES payload. */
const PACKET_OVERHEAD_BYTES = 1024;

/** Unix sockets opened by this process so far: each broker's gets its own name. */
let localSockets = 0;

/**
 * Unix socket files of brokers still open. A process that exits without closing its broker (a
 * signal, process.exit after an error) must not leave them in the temp folder: the `exit` hook
 * removes whatever is left, synchronously, as an exit hook must.
 */
const openSocketFiles = new Set<string>();
let exitHookInstalled = false;
function removeSocketFileAtExit(path: string): void {
  openSocketFiles.add(path);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const file of openSocketFiles) {
      try {
        unlinkSync(file);
      } catch {
        // Already gone: nothing to clean.
      }
    }
  });
}

/** How the Unix socket files of process `pid`'s embedded brokers are named in the temp folder. */
function socketFilePrefix(pid: number): string {
  return `trialsim-${pid}-`;
}

/**
 * Removes the socket files another process's embedded brokers left in this process's temp
 * folder, at once (synchronous: for `exit` hooks). A parent stopping its scenario workers on a
 * signal exits before they have run their own exit hooks; the files must not outlive the run.
 */
export function removeSocketFilesOf(pid: number): void {
  const prefix = socketFilePrefix(pid);
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return; // No temp folder to read: nothing of ours can be in it.
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.sock')) continue;
    try {
      unlinkSync(join(tmpdir(), name));
    } catch {
      // Already removed by the worker itself.
    }
  }
}

/** Why a listen failed, in words a user can act on. */
function listenFailure(name: string, cause: NodeJS.ErrnoException): string {
  if (cause.code === 'EADDRINUSE')
    return `cannot listen on ${name}: port in use; use --port 0 for a free one`;
  if (cause.code === 'EACCES')
    return `cannot listen on ${name}: permission denied (ports below 1024 need root)`;
  if (cause.code === 'EADDRNOTAVAIL') return `cannot listen on ${name}: no such address on this machine`;
  return `cannot listen on ${name}: ${cause.message}`;
}
/** aedes in this process, on loopback only: nothing outside the machine can reach it. */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const maxPacketBytes = options.maxPacketBytes ?? MAX_MESSAGE_BYTES + PACKET_OVERHEAD_BYTES;
  const hooks: AedesOptions = options.accessControl?.hooks() ?? {};
  let aedes = await Aedes.createBroker(hooks);
  // Every connection, with or without a CONNECT: closing the broker ends them all at once,
  // rather than waiting for an idle or half-open one to time out (server.close waits for them).
  const sockets = new Set<Socket>();
  // aedes keeps sessions in its persistence; a restarted broker reuses it (not in aedes's typings).
  const persistence = (aedes as unknown as { persistence: unknown }).persistence;
  const socketPath =
    options.localSocket === true && platform() !== 'win32'
      ? join(tmpdir(), `${socketFilePrefix(process.pid)}${++localSockets}.sock`)
      : undefined;
  const listen = async (where: number | string): Promise<Server> => {
    // noDelay: MQTT packets are small and answered at once; with Nagle on, each hop waits out the
    // peer's delayed ACK (≈40 ms on Linux loopback), which capped a run at ~10 messages/s.
    const server = createServer({ noDelay: true }, (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      coalesceWritesPerTurn(socket);
      aedes.handle(socket);
      guardPacketSize(socket, maxPacketBytes, (type, length) =>
        options.accessControl?.packetRefused(socket.remoteAddress ?? '?', type, length, maxPacketBytes),
      );
    });
    await new Promise<void>((resolve, reject) => {
      const name = typeof where === 'string' ? where : `${host}:${where}`;
      server.once('error', (cause: NodeJS.ErrnoException) =>
        reject(new TrialsimError('BROKER_START_FAILED', listenFailure(name, cause), { cause })),
      );
      if (typeof where === 'string') server.listen(where, () => resolve());
      else server.listen(where, host, () => resolve());
    });
    return server;
  };
  let server: Server;
  try {
    server = await listen(options.port ?? 0);
  } catch (err) {
    // Nothing may outlive a broker that never started (aedes's timers would keep the process up).
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw err;
  }
  // The Unix socket is a shortcut, not a need: where it cannot be had (no usable temp folder, a
  // file system without sockets) the parties use TCP instead.
  // Registered before the listen creates the file: a signal that ends the process between the two
  // must not leave the file behind.
  if (socketPath !== undefined) removeSocketFileAtExit(socketPath);
  let localServer = socketPath === undefined ? undefined : await listen(socketPath).catch(() => undefined);
  if (localServer === undefined && socketPath !== undefined) openSocketFiles.delete(socketPath);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const closeServer = (s: Server | undefined) =>
    new Promise<void>((resolve) => (s === undefined ? resolve() : s.close(() => resolve())));
  const stop = async () => {
    // Order matters (STACK.md): broker first, then the listening sockets (closing removes the
    // Unix socket's file).
    const closed = Promise.all([closeServer(server), closeServer(localServer)]);
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  const url = `mqtt://${host}:${port}`;
  return {
    url,
    localUrl: localServer === undefined ? url : `mqtt+unix://${socketPath}`,
    port,
    get aedes() {
      return aedes;
    },
    close: async () => {
      await stop();
      if (socketPath !== undefined) openSocketFiles.delete(socketPath);
    },
    restart: async () => {
      await stop();
      aedes = await Aedes.createBroker({ ...hooks, persistence });
      server = await listen(port);
      if (localServer !== undefined && socketPath !== undefined) localServer = await listen(socketPath);
    },
  };
}
