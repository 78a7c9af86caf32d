import { once } from 'node:events';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postXml } from '../../../../../simulator/adapters/duis-http/http-post.js';
import {
  type TlsOnlyListener,
  tlsOnlyListener,
} from '../../../../../simulator/adapters/duis-http/tls-only-listener.js';
import {
  type DuisTlsCredentials,
  generateDuisTlsCredentials,
} from '../../../../../simulator/pki/duis-tls-credentials.js';

let tls: DuisTlsCredentials;
let listener: TlsOnlyListener | undefined;

beforeAll(async () => {
  tls = await generateDuisTlsCredentials('tls-only-listener-test');
});

afterEach(async () => {
  const open = listener;
  listener = undefined;
  if (open === undefined) return;
  open.destroyConnections();
  await new Promise<void>((resolve) => open.server.close(() => resolve()));
});

async function listening(): Promise<string> {
  const https = createHttpsServer({ key: tls.keyPem, cert: tls.certPem }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('over TLS');
  });
  let url = '';
  const started = tlsOnlyListener(https, () => url);
  listener = started;
  await new Promise<void>((resolve) => started.server.listen(0, '127.0.0.1', () => resolve()));
  url = `https://127.0.0.1:${(started.server.address() as AddressInfo).port}`;
  return url;
}

describe('an HTTPS port that answers plain HTTP clearly', () => {
  it('a TLS client trusting the CA is served by the HTTPS server', async () => {
    const url = await listening();
    const answer = await postXml(`${url}/x`, '<x/>', { ca: tls.caPem });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('over TLS');
  });

  it('a plain-HTTP client gets 400 in plain text naming the https:// URL, not a reset', async () => {
    const url = await listening();
    const answer = await postXml(`${url.replace('https:', 'http:')}/x`, '<x/>');
    expect(answer.status).toBe(400);
    expect(answer.body).toContain(`speaks HTTPS only: send to ${url}`);
  });

  it('a connection that never sends a byte does not keep the port from closing', async () => {
    await listening();
    const open = listener as TlsOnlyListener;
    const idle = connect((open.server.address() as AddressInfo).port, '127.0.0.1');
    await once(idle, 'connect');
    const closedByServer = once(idle, 'close');
    open.destroyConnections();
    await new Promise<void>((resolve) => open.server.close(() => resolve()));
    listener = undefined;
    await closedByServer;
    expect(idle.destroyed).toBe(true);
  });
});
