import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PostResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** CA certificates (PEM) a TLS peer must chain to; Node's public roots without it. */
  ca?: string;
  timeoutMs?: number;
  maxAnswerBytes?: number;
}

/**
 * POSTs a body and reads the whole answer. TLS peers are checked against `ca` when given (the
 * seed's test CA); the answer is capped so a misbehaving peer cannot exhaust memory.
 */
export function postXml(url: string, body: string, options: SendOptions = {}): Promise<PostResult> {
  return sendText('POST', url, body, {
    ...options,
    headers: { 'content-type': 'application/xml', ...options.headers },
  });
}

/** PUTs a text body (the callback registration, DUIS-HTTP.md), as `postXml` does, with its CA. */
export function putText(url: string, body: string, options: SendOptions = {}): Promise<PostResult> {
  return sendText('PUT', url, body, {
    ...options,
    headers: { 'content-type': 'text/plain', ...options.headers },
  });
}

function sendText(
  method: 'POST' | 'PUT',
  url: string,
  body: string,
  options: SendOptions,
): Promise<PostResult> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const max = options.maxAnswerBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method,
        headers: {
          'content-length': Buffer.byteLength(body),
          ...options.headers,
        },
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > max) {
            req.destroy(new Error(`answer from ${url} is over ${max} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer from ${url} within ${options.timeoutMs ?? 30_000} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}
