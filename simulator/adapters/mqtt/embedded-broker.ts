import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { TrialsimError } from '../../errors.js';

export interface EmbeddedBroker {
  readonly url: string;
  readonly port: number;
  readonly aedes: Aedes;
  close(): Promise<void>;
}

export interface EmbeddedBrokerOptions {
  /** 0 picks a free port (the default, so parallel runs never collide). */
  readonly port?: number;
  readonly host?: string;
}

/** aedes in this process, on loopback only: nothing outside the machine can reach it. */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker();
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(
        new TrialsimError('BROKER_START_FAILED', `cannot listen on ${host}:${options.port ?? 0}`, { cause }),
      ),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `mqtt://${host}:${port}`,
    port,
    aedes,
    close: async () => {
      // Order matters (STACK.md): broker first, then the listening socket.
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
