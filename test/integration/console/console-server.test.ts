import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleServer, startConsoleServer } from '../../../harness/console/console-server.js';
import { LiveStack } from '../../../harness/live/live-stack.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { esme, START, startTrialStack } from '../../support/acme-world.js';

let stack: SimStack;
let live: LiveStack;
let server: ConsoleServer;

beforeAll(async () => {
  stack = await startTrialStack('console-server', [esme(1)]);
  live = new LiveStack(stack, START);
  server = await startConsoleServer(live, { port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server?.stop();
  live?.close();
  await stack?.stop();
});

const post = (path: string, body: string, type = 'application/json') =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

describe('the console API: bad input gets a clear answer, nothing crashes the stack', () => {
  it('answers a request it cannot act on with 400 and what is wrong', async () => {
    const cases: [string, string, RegExp][] = [
      ['/api/sr', '{not json', /not JSON/],
      ['/api/sr', '[]', /must be a JSON object/],
      ['/api/sr', '{"as":"supplier-a"}', /"srv" must be a non-empty string/],
      ['/api/sr', '{"as":"supplier-a","srv":"8.2","device":"esme9"}', /no device "esme9"/],
      ['/api/sr', '{"as":"nobody","srv":"8.2","device":"esme1"}', /unknown party "nobody"/],
      [
        '/api/sr',
        '{"as":"supplier-a","srv":"8.2","device":"esme1","body":[1]}',
        /"body" must be a JSON object/,
      ],
      ['/api/clock', '{"advance":"1 fortnight"}', /unknown unit "fortnight"/],
    ];
    for (const [path, body, problem] of cases) {
      const res = await post(path, body);
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { error: string }).error, body).toMatch(problem);
    }
    expect((await fetch(`${server.url}/api/nothing`)).status).toBe(404);
    expect((await fetch(`${server.url}/../../package.json`)).status).toBe(404);
  });

  it('gives the default body of an SRV for a device, as sr and a scenario would send it', async () => {
    const res = await fetch(`${server.url}/api/default-body?srv=8.11&device=esme1`);
    expect(await res.json()).toEqual({
      target: '00-12-4B-00-00-00-00-01',
      body: { action: 'add', deviceId: '00-12-4B-00-00-00-01-01' },
    });
  });

  it('an SR sent over the API ends in an outcome kept under its RequestID, with its sequence drawn', async () => {
    const res = await post('/api/sr', '{"as":"supplier-a","srv":"12.2","device":"esme1"}');
    expect(res.status).toBe(202);
    const { requestId } = (await res.json()) as { requestId: string };
    // The outcome arrives as an event; wait for the stack to answer, then read it back.
    await new Promise<void>((resolve) => {
      const stop = live.feed.subscribe((batch) => {
        if (batch.some((e) => e.requestId === requestId && e.code !== undefined)) {
          stop();
          resolve();
        }
      });
    });
    await expect
      .poll(async () => (await fetch(`${server.url}/api/sr/${encodeURIComponent(requestId)}`)).status)
      .toBe(200);
    const result = (await (await fetch(`${server.url}/api/sr/${encodeURIComponent(requestId)}`)).json()) as {
      code: string;
      outcomeText: string;
    };
    expect(result).toMatchObject({ code: 'I0', outcomeText: 'I0' });
    const svg = await (
      await fetch(`${server.url}/api/sequence?requestId=${encodeURIComponent(requestId)}`)
    ).text();
    expect(svg).toMatch(/^<svg class="sequence"/);
    expect(svg).toContain('>supplier-a<');
  });

  it('a console port already in use is a clear error naming it', async () => {
    const port = Number(new URL(server.url).port);
    await expect(startConsoleServer(live, { port, host: '127.0.0.1' })).rejects.toThrow(
      `the console cannot listen on 127.0.0.1:${port}: port in use; use --console 0 for a free one`,
    );
  });
});
