import type { IncomingHttpHeaders } from 'node:http';

/** The names the console answers to: its own origin(s), and the Host values that mean it. */
export interface ConsoleOrigins {
  readonly hosts: ReadonlySet<string>;
  readonly origins: ReadonlySet<string>;
}

/** Loopback names for a console bound to `host:port` (plus the bound address itself). */
export function consoleOrigins(host: string, port: number): ConsoleOrigins {
  const names = new Set([host.includes(':') ? `[${host}]` : host]);
  if (host === '127.0.0.1' || host === '::1' || host === 'localhost')
    for (const n of ['127.0.0.1', 'localhost', '[::1]']) names.add(n);
  const hosts = new Set([...names].map((n) => `${n}:${port}`));
  return { hosts, origins: new Set([...hosts].map((h) => `http://${h}`)) };
}

/**
 * Why a request must be refused, or undefined. The console drives a stack, so only pages it
 * served itself may use it:
 * - the Host must be one of its own names (a DNS-rebinding page reaches loopback under a foreign
 *   name);
 * - an Origin, when sent (browsers send it on every cross-origin request and on every POST), must
 *   be its own; `Sec-Fetch-Site` must not say cross-site;
 * - a POST must be JSON: a cross-site form cannot send that without a CORS preflight, and the
 *   console answers no preflight.
 * A client outside a browser (curl, a test) sends neither Origin nor Sec-Fetch-Site and passes.
 */
export function originProblem(
  method: string,
  headers: IncomingHttpHeaders,
  allowed: ConsoleOrigins,
): string | undefined {
  const host = headers.host;
  if (host === undefined || !allowed.hosts.has(host.toLowerCase()))
    return `Host ${host ?? '(none)'} is not this console (${[...allowed.hosts].join(', ')})`;
  const origin = headers.origin;
  if (origin !== undefined && !allowed.origins.has(origin.toLowerCase()))
    return `requests from ${origin} are refused: only the console's own pages may use it`;
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return `a ${site} request is refused: only the console's own pages may use it`;
  if (method !== 'GET' && method !== 'HEAD') {
    if (method !== 'POST') return `method ${method} is not used by the console`;
    const type = headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type))
      return `a POST must be application/json, not ${type || 'untyped'}`;
  }
  return undefined;
}
