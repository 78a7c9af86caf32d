import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { BENCH_HELP, type BenchConfig, BenchUsageError, parseBenchArgs, wantsHelp } from './bench-config.js';
import type { Cost } from './bench-timing.js';
import { scaleSection } from './device-scale.js';
import { FigureTable, fixed } from './figure-table.js';
import { measureUnitCosts, SR_RECIPES, secondsPerSr } from './sr-limit.js';
import { measureMessagePattern } from './sr-message-pattern.js';
import { measureThroughput, SR_UNDER_TEST, type SrKind, type ThroughputResult } from './sr-throughput.js';
import { virtualTimeSection } from './virtual-time.js';
import { wallTimeSection } from './wall-time.js';

const SR_SECTION =
  '1. Service requests per second, end to end (embedded broker, DCC, supplier agent, devices)';
const SR_TITLE: Readonly<Record<SrKind, string>> = {
  read: 'Read Firmware Version (non-critical, MACed)',
  critical: 'Commission Device (critical, CV4→sign→CV5)',
};

/** Section 1: SR/s end to end beside the limit the crypto, codec and broker work sets. */
async function throughputSection(config: BenchConfig, table: FigureTable): Promise<void> {
  table.startSection(SR_SECTION);
  const costs = await measureUnitCosts({
    brokerMessages: config.brokerMessages,
    calls: config.microCalls,
    window: config.throughput.window,
  });
  const us = (cost: Cost) => (cost.wall * 1e6).toFixed(1);
  table.note(
    `unit costs, µs (wall; fastest of 3): broker message ${us(costs.brokerMessage)} (one-way stream, ` +
      `${config.throughput.window} in flight), envelope ${us(costs.envelope)}, ` +
      `GBCS payload ${us(costs.gbcsPayload)}, MAC ${us(costs.macCompute)} / check ${us(costs.macCheck)}, ` +
      `ECDSA sign ${us(costs.sign)} / verify ${us(costs.verify)} (ECDH ${us(costs.ecdh)}, cached off the path)`,
  );
  for (const kind of ['read', 'critical'] as SrKind[]) {
    let best: ThroughputResult | undefined;
    for (let round = 0; round < config.rounds; round++) {
      const result = await measureThroughput(kind, config.throughput);
      if (best === undefined || result.perSecond > best.perSecond) best = result;
    }
    const result = best as ThroughputResult;
    const limit = 1 / secondsPerSr(kind, costs, undefined);
    const ratio = result.perSecond / limit;
    table.add({
      section: SR_SECTION,
      what: `${SR_UNDER_TEST[kind]} ${SR_TITLE[kind]}`,
      value: `${fixed(result.perSecond)} SR/s`,
      beside: `limit ${fixed(limit)} SR/s → ratio ${ratio.toFixed(2)} (target ≥ 0.50)`,
      met: ratio >= 0.5,
    });
    const cpuLimit = 1 / secondsPerSr(kind, costs, undefined, 'cpu');
    const cpuRate = 1 / result.cpuSecondsPerSr;
    table.note(
      `${fixed(result.requests)} SRs, ${config.throughput.window} in flight over ${config.throughput.devices} devices, ` +
        `each with its own client. By CPU time: ${fixed(cpuRate)} SR per CPU-second, limit ${fixed(cpuLimit)} → ratio ${(cpuRate / cpuLimit).toFixed(2)}`,
    );
    const recipe = SR_RECIPES[kind];
    if (Math.abs(result.messagesPerSr - recipe.brokerMessage) > 0.01) {
      table.note(
        `warning: ${result.messagesPerSr.toFixed(2)} messages per SR seen; the limit assumes ${recipe.brokerMessage}`,
      );
    }
    // For information: the broker's share measured on the SR's own message pattern instead.
    const pattern = await measureMessagePattern({
      kind,
      devices: config.throughput.devices,
      window: config.throughput.window,
      requests: config.patternRequests,
      messageBytes: costs.messageBytes[kind],
    });
    if (pattern.messagesPerSr !== recipe.brokerMessage) {
      table.note(
        `warning: the message pattern delivered ${pattern.messagesPerSr.toFixed(2)} messages per SR`,
      );
    }
    const patternLimit = 1 / secondsPerSr(kind, costs, pattern);
    table.note(
      `the SR's ${recipe.brokerMessage} messages alone, between the same parties (no crypto, codec or DCC/device work): ` +
        `${(pattern.wall * 1e6).toFixed(0)} µs per SR, against ${(recipe.brokerMessage * costs.brokerMessage.wall * 1e6).toFixed(0)} µs ` +
        `as one pipelined stream; with it as the broker's share the limit is ${fixed(patternLimit)} SR/s → ratio ${(result.perSecond / patternLimit).toFixed(2)}`,
    );
  }
  const shared = await measureThroughput('read', { ...config.throughput, deviceConnection: 'shared' });
  table.add({
    section: SR_SECTION,
    what: `${SR_UNDER_TEST.read} with the devices on one shared connection (scale option)`,
    value: `${fixed(shared.perSecond)} SR/s`,
    beside: `ratio ${(shared.perSecond / (1 / secondsPerSr('read', costs, undefined))).toFixed(2)} (for information)`,
    met: undefined,
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (wantsHelp(args)) {
    process.stdout.write(BENCH_HELP);
    return;
  }
  let config: BenchConfig;
  try {
    config = parseBenchArgs(args);
  } catch (err) {
    if (!(err instanceof BenchUsageError)) throw err;
    process.stderr.write(`npm run bench: ${err.message}\n`);
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const [load] = loadavg();
  process.stdout.write(
    `trialsim bench${config.quick ? ' --quick' : ''} — node ${process.version}, ${config.cpus} CPUs, load average ${fixed(load ?? 0, 1)}\n`,
  );
  const table = new FigureTable();
  await throughputSection(config, table);
  await scaleSection(config.scale, table);
  await wallTimeSection(table, config.quick);
  await virtualTimeSection(table, config.timers);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `\nbench finished in ${fixed(seconds, 1)} s; ${table.missed.length} target(s) missed\n`,
  );
  if (config.jsonFile !== undefined) {
    await writeFile(
      config.jsonFile,
      `${JSON.stringify({ quick: config.quick, node: process.version, cpus: config.cpus, seconds, figures: table.figures }, null, 2)}\n`,
    );
  }
}

await main();
