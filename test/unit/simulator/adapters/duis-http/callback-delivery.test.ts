import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CALLBACK_BACKOFF_MS,
  CallbackDelivery,
} from '../../../../../simulator/adapters/duis-http/callback-delivery.js';
import { CallbackReceiver } from '../../../../../simulator/adapters/duis-http/callback-receiver.js';
import type { Eui } from '../../../../../simulator/domain/eui.js';
import type { UserMessage } from '../../../../../simulator/nodes/dcc-node.js';
import { generateDuisTlsCredentials } from '../../../../../simulator/pki/duis-tls-credentials.js';
import { VirtualClock } from '../../../../../simulator/time/virtual-clock.js';
import { MessageTrace } from '../../../../../simulator/trace/message-trace.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A User's receive-response endpoint answering with the given statuses in turn. */
async function receiver(statuses: number[]): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const listening = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(statuses.shift() ?? 204).end();
    });
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(listening.address() as AddressInfo).port}/smartdcc/duis`, bodies };
}

const message = (n: number): UserMessage => ({
  kind: 'serviceResponse',
  message: { requestId: `r:${n}`, responseId: '', serviceReferenceVariant: '11.2', responseCode: 'I0' },
});

function delivery(
  url: string,
  clock: VirtualClock,
  trace: MessageTrace,
  inFlight = { n: 0 },
  ephemeralPort = false,
) {
  return new CallbackDelivery({
    user: '90-B3-D5-1F-30-01-00-00' as Eui,
    url,
    ephemeralPort,
    clock,
    trace,
    render: async (m) => ({
      xml: `<x>${m.kind === 'serviceResponse' ? m.message.requestId : ''}</x>`,
      headers: {},
    }),
    inFlight: { begin: () => inFlight.n++, end: () => inFlight.n-- },
  });
}

/** Waits until nothing is in flight, then fires the next due timer (what the harness does). */
async function runUntil(done: Promise<void>, clock: VirtualClock, inFlight: { n: number }) {
  let finished = false;
  void done.then(() => {
    finished = true;
  });
  // No sleeps: yield to I/O until the attempt in flight has its answer, then move virtual time on.
  for (let i = 0; i < 100_000 && !finished; i++) {
    await new Promise((r) => setImmediate(r));
    const next = clock.nextDue();
    if (inFlight.n === 0 && next !== undefined) await clock.advanceTo(next, async () => undefined);
  }
  await done;
}

describe('asynchronous DUIS delivery to the User (DUIS.md §8, §12)', () => {
  it('a 2xx is accepted at the first attempt, and the attempt is traced', async () => {
    const { url, bodies } = await receiver([204]);
    const clock = new VirtualClock(0);
    const trace = new MessageTrace();
    await delivery(url, clock, trace).deliver(message(1));
    expect(bodies).toEqual(['<x>r:1</x>']);
    expect(trace.all().map((e) => e.summary)).toEqual([
      expect.stringMatching(/attempt 1: HTTP 204 \(accepted\)$/),
    ]);
  });

  it('a User that answers 503 is retried after 1 s then 2 s of virtual time, until it accepts', async () => {
    const { url, bodies } = await receiver([503, 503, 204]);
    const clock = new VirtualClock(0);
    const trace = new MessageTrace();
    const inFlight = { n: 0 };
    await runUntil(delivery(url, clock, trace, inFlight).deliver(message(1)), clock, inFlight);
    expect(bodies).toHaveLength(3);
    expect(trace.all().map((e) => e.at)).toEqual([
      0,
      CALLBACK_BACKOFF_MS[0],
      (CALLBACK_BACKOFF_MS[0] ?? 0) + (CALLBACK_BACKOFF_MS[1] ?? 0),
    ]);
    expect(inFlight.n).toBe(0);
  });

  it('a 400 (the User found the message invalid) is final: no retry', async () => {
    const { url, bodies } = await receiver([400, 204]);
    const clock = new VirtualClock(0);
    const trace = new MessageTrace();
    await delivery(url, clock, trace).deliver(message(1));
    expect(bodies).toHaveLength(1);
    expect(clock.nextDue()).toBeUndefined();
    expect(trace.all()[0]?.summary).toMatch(/HTTP 400 \(refused by the User: final\)/);
  });

  it("results reach the User in the DCC's order, a later one waiting behind a retried earlier one", async () => {
    const { url, bodies } = await receiver([500, 204, 204]);
    const clock = new VirtualClock(0);
    const trace = new MessageTrace();
    const inFlight = { n: 0 };
    const d = delivery(url, clock, trace, inFlight);
    const first = d.deliver(message(1));
    const second = d.deliver(message(2));
    await runUntil(
      Promise.all([first, second]).then(() => undefined),
      clock,
      inFlight,
    );
    expect(bodies).toEqual(['<x>r:1</x>', '<x>r:1</x>', '<x>r:2</x>']);
  });

  it('an unreachable User is tried with backoff and then given up, never crashing', async () => {
    const clock = new VirtualClock(0);
    const trace = new MessageTrace();
    const inFlight = { n: 0 };
    await runUntil(
      delivery('http://127.0.0.1:9/nobody', clock, trace, inFlight).deliver(message(1)),
      clock,
      inFlight,
    );
    const summaries = trace.all().map((e) => e.summary);
    expect(summaries).toHaveLength(CALLBACK_BACKOFF_MS.length + 1);
    expect(summaries.at(-1)).toMatch(/given up$/);
  });

  it('a URL on a port the OS picked is traced as <port>, in the summary, the detail and a failure, so the trace is reproducible', async () => {
    const { url } = await receiver([204]);
    const port = new URL(url).port;
    const clock = new VirtualClock(0);
    const trace = new MessageTrace();
    const accepted = delivery(url, clock, trace, { n: 0 }, true);
    expect(accepted.tracedUrl).toBe('http://127.0.0.1:<port>/smartdcc/duis');
    await accepted.deliver(message(1));
    // Nothing listens on port 9 (discard): the connection error names the address, hidden too.
    const inFlight = { n: 0 };
    await runUntil(
      delivery('http://127.0.0.1:9/nobody', clock, trace, inFlight, true).deliver(message(2)),
      clock,
      inFlight,
    );
    const entries = trace.all();
    expect(entries[0]?.summary).toBe(
      'POST http://127.0.0.1:<port>/smartdcc/duis attempt 1: HTTP 204 (accepted)',
    );
    expect(entries[0]?.detail).toEqual({
      url: 'http://127.0.0.1:<port>/smartdcc/duis',
      attempt: 1,
      message: 'serviceResponse',
    });
    expect(entries[1]?.summary).toMatch(
      /^POST http:\/\/127\.0\.0\.1:<port>\/nobody attempt 1: no answer \(.*127\.0\.0\.1:<port>.*\)/,
    );
    const text = JSON.stringify(entries);
    expect(text).not.toContain(`:${port}`);
    expect(text).not.toContain('127.0.0.1:9');
  });

  it('a URL the User gave (no ephemeral port) is traced as it is', async () => {
    const { url } = await receiver([204]);
    const trace = new MessageTrace();
    const d = delivery(url, new VirtualClock(0), trace);
    expect(d.tracedUrl).toBe(url);
    await d.deliver(message(1));
    expect(trace.all()[0]?.summary).toBe(`POST ${url} attempt 1: HTTP 204 (accepted)`);
  });
});

describe("delivery to a User's https:// receive-response URL", () => {
  let https: CallbackReceiver | undefined;
  afterEach(async () => {
    await https?.stop();
    https = undefined;
  });

  it('trusting the CA the user named, the signed result arrives at the first attempt', async () => {
    const tls = await generateDuisTlsCredentials('a-users-own-ca');
    https = await CallbackReceiver.start({ tls: { key: tls.keyPem, cert: tls.certPem } });
    const trace = new MessageTrace();
    const d = new CallbackDelivery({
      user: '90-B3-D5-1F-30-01-00-00' as Eui,
      url: https.url,
      clock: new VirtualClock(0),
      trace,
      render: async () => ({ xml: '<x>r:1</x>', headers: {} }),
      ca: tls.caPem,
    });
    await d.deliver(message(1));
    expect((await https.next(10_000))?.xml).toBe('<x>r:1</x>');
    expect(trace.all()[0]?.summary).toBe(`POST ${https.url} attempt 1: HTTP 200 (accepted)`);
  });

  it("without that CA the User's certificate is not trusted: every attempt fails, traced with the cause, and is retried", async () => {
    const tls = await generateDuisTlsCredentials('a-users-own-ca');
    https = await CallbackReceiver.start({ tls: { key: tls.keyPem, cert: tls.certPem } });
    const clock = new VirtualClock(0);
    const trace = new MessageTrace();
    const inFlight = { n: 0 };
    const d = new CallbackDelivery({
      user: '90-B3-D5-1F-30-01-00-00' as Eui,
      url: https.url,
      clock,
      trace,
      render: async () => ({ xml: '<x>r:1</x>', headers: {} }),
      // Another seed's CA: a real CA, not the one that signed the User's certificate.
      ca: (await generateDuisTlsCredentials('someone-else')).caPem,
      inFlight: { begin: () => inFlight.n++, end: () => inFlight.n-- },
    });
    await runUntil(d.deliver(message(1)), clock, inFlight);
    const summaries = trace.all().map((e) => e.summary);
    expect(summaries).toHaveLength(CALLBACK_BACKOFF_MS.length + 1);
    expect(summaries[0]).toMatch(/attempt 1: no answer \(.*certificate.*\); retry in 1000 ms$/);
    expect(summaries.at(-1)).toMatch(/given up$/);
  });
});
