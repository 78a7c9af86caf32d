import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { TrialsimError } from '../../simulator/errors.js';
import { addDuration, parseDuration } from '../../simulator/time/index.js';
import type { LiveStack } from '../live/live-stack.js';
import { findDeviceSpec, planServiceRequest } from '../live/sr-plan.js';
import { describeOutcome, outcomeCode, resultJson, type SrResult } from '../live/sr-result.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { ConsoleEvents, withLines } from './console-events.js';
import { consoleOrigins, originProblem } from './console-origin.js';
import { SEQUENCE_CSS, sequenceOfRequest } from './console-sequence.js';

/** The page's files, served as they are in the repository: nothing to build. */
const PUBLIC_DIR = join(PACKAGE_ROOT, 'harness', 'console', 'public');
const STATIC: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
};
/** Largest request body the console reads (an SR body is a few hundred bytes). */
const MAX_BODY_BYTES = 64 * 1024;
/** SR results kept for GET /api/sr/<RequestID>. */
const KEPT_RESULTS = 1_000;

export interface ConsoleServer {
  readonly url: string;
  stop(): Promise<void>;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `trialsim up --console PORT`: the web console of a running stack over plain node:http. The
 * page is static; everything it shows comes from the LiveStack (snapshot, feed) over JSON and
 * Server-Sent Events, and everything it does goes through the LiveStack (send, advance).
 */
export async function startConsoleServer(
  live: LiveStack,
  options: { readonly port: number; readonly host: string },
): Promise<ConsoleServer> {
  const events = new ConsoleEvents(live);
  const results = new Map<string, unknown>();
  const virtualStart = new Date(live.stack.clock.now()).toISOString();
  let allowed = consoleOrigins(options.host, options.port);

  async function route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) {
    const page = STATIC[path];
    if (req.method === 'GET' && page !== undefined) {
      const text = await readFile(join(PUBLIC_DIR, page.file));
      return reply(res, 200, page.type, text);
    }
    if (req.method === 'GET' && path === '/sequence.css') return reply(res, 200, 'text/css', SEQUENCE_CSS);
    if (req.method === 'GET' && path === '/api/state') return json(res, 200, live.snapshot());
    if (req.method === 'GET' && path === '/api/messages') {
      const after = Number(query.get('after') ?? 0);
      return json(res, 200, withLines(live.feed.recent().filter((e) => e.seq > after)));
    }
    if (req.method === 'GET' && path === '/api/events') return events.attach(res);
    if (req.method === 'GET' && path === '/api/sequence') {
      const requestId = query.get('requestId') ?? '';
      const svg = sequenceOfRequest(requestId, live.feed.ofRequest(requestId), virtualStart);
      return reply(res, 200, 'text/html; charset=utf-8', svg);
    }
    if (req.method === 'GET' && path === '/api/default-body') {
      const device = query.get('device') || undefined;
      const plan = planServiceRequest(
        { as: '', srv: query.get('srv') ?? '', device },
        (id) => findDeviceSpec(live.stack.deviceSpecs.values(), id),
        live.stack.dcc.view.config.dccEui,
      );
      return json(res, 200, { target: plan.target, body: plan.body });
    }
    if (req.method === 'GET' && path.startsWith('/api/sr/')) {
      const result = results.get(decodeURIComponent(path.slice('/api/sr/'.length)));
      if (result === undefined) throw new HttpProblem(404, 'no such SR, or it has not ended yet');
      return json(res, 200, result);
    }
    if (req.method === 'POST' && path === '/api/sr') {
      const ask = await readJson(req);
      const as = text(ask, 'as');
      const srv = text(ask, 'srv');
      const device = ask.device === undefined || ask.device === '' ? undefined : text(ask, 'device');
      const body = ask.body;
      if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body)))
        throw new HttpProblem(400, '"body" must be a JSON object');
      const sent = await live.send({ as, srv, device, body: body as Record<string, unknown> | undefined });
      void sent.result.then((result) => {
        const shown = { ...(resultJson(result) as object), ...summary(result) };
        results.set(result.requestId, shown);
        if (results.size > KEPT_RESULTS) results.delete(results.keys().next().value as string);
        events.broadcast('outcome', shown);
        events.refreshState();
      });
      return json(res, 202, { requestId: sent.requestId });
    }
    if (req.method === 'POST' && path === '/api/clock') {
      const ask = await readJson(req);
      const by = text(ask, 'advance');
      const now = live.stack.clock.now();
      const ms = addDuration(now, parseDuration(by)) - now;
      const at = await live.advance(ms);
      events.refreshState();
      return json(res, 200, { now: at, iso: new Date(at).toISOString() });
    }
    throw new HttpProblem(404, `nothing at ${req.method} ${path}`);
  }

  const server: Server = createServer((req, res) => {
    const problem = originProblem(req.method ?? 'GET', req.headers, allowed);
    if (problem !== undefined) {
      req.resume();
      return json(res, 403, { error: problem });
    }
    const url = new URL(req.url ?? '/', 'http://console');
    route(req, res, url.pathname, url.searchParams).catch((err: unknown) => {
      const status =
        err instanceof HttpProblem
          ? err.status
          : err instanceof TrialsimError || err instanceof RangeError
            ? 400
            : 500;
      if (!res.headersSent) json(res, status, { error: (err as Error).message });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) => {
      events.close();
      const why =
        cause.code === 'EADDRINUSE'
          ? 'port in use; use --console 0 for a free one'
          : cause.code === 'EADDRNOTAVAIL'
            ? 'no such address on this machine'
            : cause.message;
      reject(
        new TrialsimError(
          'CONSOLE_START_FAILED',
          `the console cannot listen on ${options.host}:${options.port}: ${why}`,
          {
            cause,
          },
        ),
      );
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowed = consoleOrigins(options.host, port);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    async stop() {
      events.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function summary(result: SrResult): { outcomeText: string; code?: string } {
  return result.outcome === undefined
    ? { outcomeText: result.failure === undefined ? 'no outcome' : `not sent: ${result.failure}` }
    : { outcomeText: describeOutcome(result.outcome), code: outcomeCode(result.outcome) };
}

function text(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== 'string' || value === '')
    throw new HttpProblem(400, `"${key}" must be a non-empty string`);
  return value;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpProblem(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpProblem(400, 'the request body is not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new HttpProblem(400, 'the request body must be a JSON object');
  return value as Record<string, unknown>;
}

function reply(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // The page loads only its own files and talks only to this server.
    'content-security-policy':
      "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  });
  res.end(body);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  reply(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}
