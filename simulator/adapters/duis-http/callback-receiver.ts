import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** One POST the DCC made to a User's receive-response URL. */
export interface ReceivedCallback {
  readonly xml: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Callbacks bigger than this are refused (413): a DUIS response never is. */
const MAX_CALLBACK_BYTES = 16 * 1024 * 1024;

/**
 * A DUIS User's receive-response endpoint: the HTTP server the DCC POSTs device responses and
 * alerts to. It answers 200 to each POST and hands the body to `onCallback` (a DUIS client, an
 * HTTP UserLink) or, without one, queues it for `next()`. It does not judge the XML: whoever
 * reads it checks the signature and the schema.
 */
export class CallbackReceiver {
  private readonly queued: ReceivedCallback[] = [];
  private readonly waiters: ((callback: ReceivedCallback) => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly onCallback: ((callback: ReceivedCallback) => void) | undefined,
  ) {}

  static async start(
    options: {
      host?: string;
      port?: number;
      path?: string;
      tls?: { readonly key: string; readonly cert: string };
      onCallback?: (callback: ReceivedCallback) => void;
    } = {},
  ): Promise<CallbackReceiver> {
    let instance: CallbackReceiver | undefined;
    const path = options.path ?? '/smartdcc/duis';
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== 'POST' || req.url?.split('?')[0] !== path) {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_CALLBACK_BYTES) chunks.push(chunk);
      });
      req.on('end', () => {
        if (size > MAX_CALLBACK_BYTES) {
          res.writeHead(413).end();
          return;
        }
        res.writeHead(200).end();
        instance?.deliver({ xml: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      });
      req.on('error', () => res.destroy());
    };
    const server = options.tls
      ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
      : createHttpServer(handler);
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    instance = new CallbackReceiver(
      server,
      `${options.tls ? 'https' : 'http'}://${shownHost}:${port}${path}`,
      options.onCallback,
    );
    return instance;
  }

  private deliver(callback: ReceivedCallback): void {
    if (this.onCallback !== undefined) {
      this.onCallback(callback);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter === undefined) this.queued.push(callback);
    else waiter(callback);
  }

  /** The next callback (queued or still to come), or undefined after `timeoutMs` real ms. */
  next(timeoutMs: number): Promise<ReceivedCallback | undefined> {
    const queued = this.queued.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const waiter = (callback: ReceivedCallback) => {
        clearTimeout(timer);
        resolve(callback);
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
