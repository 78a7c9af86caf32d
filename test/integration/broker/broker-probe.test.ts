import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportHtml } from '../../../harness/evidence/report/report-html.js';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';
import { NagleWarningReporter } from '../../../harness/reporters/nagle-warning-reporter.js';
import { runSuite } from '../../../harness/suite/run-suite.js';
import { probeBroker } from '../../../simulator/adapters/mqtt/broker-probe.js';
import { startEmbeddedBroker } from '../../../simulator/adapters/mqtt/embedded-broker.js';
import { tempDir, trialsim } from '../../support/cli-in-process.js';
import { type RunningMosquitto, startMosquitto } from '../../support/mosquitto.js';

/**
 * What trialsim finds out about an external broker: its software ($SYS/broker/version) and
 * whether it holds small writes back (Nagle's algorithm: mosquitto without set_tcp_nodelay true).
 * Only the classification is asserted, never a time. It cannot hinge on the machine's speed: the
 * delay it detects is the kernel's delayed-ACK timer (≥ 40 ms on Linux) against sub-millisecond
 * loopback round trips, and a verdict takes the medians of five of each kind, measured turn about,
 * so stalls on a loaded machine would have to slow three pairs of five by 20 ms, and no more than
 * two singles, to fake it (30 probes of each mosquitto here at load 8 on 2 cores: singles
 * 0.1-13 ms, pairs 43-48 ms with the delay and 0.2-2 ms without, every verdict right).
 */
const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].some((p) => existsSync(p));

describe.skipIf(!MOSQUITTO)('the broker probe on mosquitto with and without set_tcp_nodelay true', () => {
  let noDelay: RunningMosquitto;
  let stock: RunningMosquitto;

  beforeAll(async () => {
    [noDelay, stock] = await Promise.all([startMosquitto(), startMosquitto({ tcpNoDelay: false })]);
  });

  afterAll(async () => {
    await Promise.all([noDelay?.stop(), stock?.stop()]);
  });

  it('names the software as mosquitto announces it, and finds the delay only without set_tcp_nodelay', async () => {
    const probe = (url: string) =>
      probeBroker({ url, clientId: `probe-${process.pid}`, topic: 'probe/test' });
    const [fast, slow] = [await probe(noDelay.url), await probe(stock.url)];
    expect(fast.software).toMatch(/^mosquitto version \d+\.\d+/);
    expect(slow.software).toBe(fast.software);
    expect(fast.roundTrip?.nagleDelay).toBe(false);
    expect(slow.roundTrip?.nagleDelay).toBe(true);
  });

  it('a run warns once on stderr, naming set_tcp_nodelay, only on the broker without it', async () => {
    const files = ['commissioning.yaml', 'replay.yaml'].map((f) => join(PACKAGE_ROOT, 'scenarios', f));
    const warningsOn = async (url: string) => {
      const lines: string[] = [];
      const results = await runSuite({
        files,
        seed: 'nagle-probe',
        brokerUrl: url,
        reporters: [new NagleWarningReporter((line) => lines.push(line))],
      });
      return { lines, results };
    };
    const fast = await warningsOn(noDelay.url);
    const slow = await warningsOn(stock.url);
    expect(fast.lines).toEqual([]);
    expect(slow.lines).toHaveLength(1);
    expect(slow.lines[0]).toContain(`the broker at ${stock.url}`);
    expect(slow.lines[0]).toContain('set_tcp_nodelay true');
    // The evidence keeps every scenario's figures and the software, both runs passing.
    for (const [{ results }, url] of [
      [fast, noDelay.url],
      [slow, stock.url],
    ] as const) {
      expect(results.scenarios.map((s) => s.verdict)).toEqual(['passed', 'passed']);
      for (const s of results.scenarios)
        expect(s.environment?.broker).toMatchObject({
          kind: 'external',
          url,
          software: expect.stringMatching(/^mosquitto version/),
        });
    }
    const delays = (r: typeof fast.results) =>
      r.scenarios.map((s) =>
        s.environment?.broker.kind === 'external' ? s.environment.broker.timing?.nagleDelay : undefined,
      );
    expect(delays(fast.results)).toEqual([false, false]);
    expect(delays(slow.results)).toEqual([true, true]);

    // report.html's test set-up names the software and, for the stock one, the fix.
    const setUp = (results: typeof fast.results) => {
      const page = reportHtml({ results, trace: [] });
      return page.slice(page.indexOf('<section class="setup"'), page.indexOf('<section class="matrix"'));
    };
    expect(setUp(fast.results)).toContain(`external MQTT broker at ${noDelay.url}: mosquitto version`);
    expect(setUp(fast.results)).toContain('no delayed answers');
    expect(setUp(slow.results)).toContain('held small writes back (Nagle&apos;s algorithm) in 2 of 2');
    expect(setUp(slow.results)).toContain('set_tcp_nodelay true');

    // Reproducible evidence (RESULTS-SCHEMA.md): what the probe measured with the real clock sits
    // under `timing` only, so with the timings set aside the two runs differ by the URL alone.
    const comparable = (results: typeof fast.results, url: string) =>
      JSON.parse(
        JSON.stringify(results, (key, value) => (key === 'timing' ? undefined : value)).replaceAll(
          url,
          'URL',
        ),
      );
    expect(comparable(slow.results, stock.url)).toEqual(comparable(fast.results, noDelay.url));
  }, 60_000);

  it('trialsim run --broker warns on stderr, with --json too (stdout stays the results); --help says the fix', async () => {
    const dir = await tempDir('nagle');
    try {
      const run = (url: string, ...more: string[]) =>
        trialsim('run', 'scenarios/commissioning.yaml', '--broker', url, '--seed', 'nagle-cli', ...more);
      const slow = await run(stock.url, '--out', join(dir.path, 'slow'), '--json');
      expect(slow.code, slow.stderr).toBe(0);
      expect(JSON.parse(slow.stdout).scenarios[0].environment.broker.timing.nagleDelay).toBe(true);
      expect(slow.stderr.match(/^warning: .*set_tcp_nodelay true/gm)).toHaveLength(1);
      const fast = await run(noDelay.url, '--out', join(dir.path, 'fast'));
      expect(fast.code, fast.stderr).toBe(0);
      expect(fast.stdout + fast.stderr).not.toContain('set_tcp_nodelay');
    } finally {
      await dir.remove();
    }
    const help = await trialsim('run', '--help');
    expect(help.stdout).toMatch(/^ {2}set_tcp_nodelay true$/m);
  }, 60_000);
});

describe.skipIf(!MOSQUITTO)('the broker probe on a broker that hangs', () => {
  it('a frozen mosquitto (connections accepted, nothing answered): the probe gives up at its bound, saying so', async () => {
    const frozen = await startMosquitto();
    try {
      frozen.freeze();
      const probe = await probeBroker({
        url: frozen.url,
        clientId: 'probe-frozen',
        topic: 'probe/test',
        timeoutMs: 300,
      });
      // Its own bound or mqtt.js's CONNACK timeout (the same ms), whichever fires first.
      expect(probe.failed).toMatch(/did not answer the probe within 300 ms|cannot connect/);
      expect(probe.software).toBeUndefined();
      expect(probe.roundTrip).toBeUndefined();
    } finally {
      await frozen.stop();
    }
  });
});

describe('the broker probe on aedes (trialsim broker)', () => {
  it('aedes announces no version on $SYS: the software stays unknown, and it does not delay', async () => {
    const broker = await startEmbeddedBroker({});
    try {
      const probe = await probeBroker({ url: broker.url, clientId: 'probe-aedes', topic: 'probe/test' });
      expect(probe.software).toBeUndefined();
      expect(probe.failed).toBeUndefined();
      expect(probe.roundTrip?.nagleDelay).toBe(false);
    } finally {
      await broker.close();
    }
  });

  it('a broker nobody listens on: the probe says why it learnt nothing, and does not throw', async () => {
    const broker = await startEmbeddedBroker({});
    const url = broker.url;
    await broker.close();
    const probe = await probeBroker({ url, clientId: 'probe-gone', topic: 'probe/test' });
    // The socket's words, without the client id (the run's namespace: pid and real time).
    expect(probe.failed).toMatch(/^cannot connect: .*ECONNREFUSED/);
    expect(probe.failed).not.toContain('probe-gone');
    expect(probe.software).toBeUndefined();
    expect(probe.roundTrip).toBeUndefined();
  });
});
