import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../harness/package-root.js';
import { BENCH_HELP, type BenchConfig, BenchUsageError, parseBenchArgs, wantsHelp } from './bench-config.js';
import {
  AT_LEAST,
  AT_MOST,
  describeSpread,
  describeTarget,
  limitPerSecond,
  median,
  meets,
  spreadOf,
  weightedSum,
} from './bench-stats.js';
import type { Cost } from './bench-timing.js';
import { scaleSection } from './device-scale.js';
import { FigureTable, fixed } from './figure-table.js';
import { figuresMarkdown, type RunRecord, spliceReadme } from './figures-doc.js';
import { FIGURES_METHOD } from './figures-method.js';
import { scaleTrialSection } from './scale-trial.js';
import { bareSeconds, measureUnitCosts, SR_RECIPES, secondsPerSr, type UnitCosts } from './sr-limit.js';
import { measureMessagePattern } from './sr-message-pattern.js';
import {
  measureThroughput,
  openThroughput,
  SR_UNDER_TEST,
  type SrKind,
  type ThroughputResult,
} from './sr-throughput.js';
import { virtualTimeSection } from './virtual-time.js';
import { wallTimeSection } from './wall-time.js';

const SR_SECTION =
  '1. Service requests per second, end to end (embedded broker, DCC, supplier agent, devices), against the limit';
const SR_TITLE: Readonly<Record<SrKind, string>> = {
  read: 'Read Firmware Version (non-critical, MACed)',
  critical: 'Commission Device (critical, CV4→sign→CV5)',
};
const KINDS: readonly SrKind[] = ['read', 'critical'];
/** SR/s at least this share of the limit on the machine's cores (the bare primitives). */
const SR_TARGET = AT_LEAST(0.5);
/** A trialsim unit at most this many times its bare primitive. */
const WRAPPER_TARGET = AT_MOST(1.2);
/** An SR at most this many times the sum of its units (trialsim's own, on one core). */
const PER_SR_TARGET = AT_MOST(1.5);

/** What the wrapper ratios compare: trialsim's function and the bare primitive under it. */
const WRAPPERS: readonly { what: string; wrapped: (c: UnitCosts) => Cost; bare: (c: UnitCosts) => Cost }[] = [
  {
    what: 'envelope (encode + decode + validate) / raw cbor-x',
    wrapped: (c) => c.envelope,
    bare: (c) => c.bare.cbor,
  },
  { what: 'MAC computed / SHA-256 KDF + AES-GCM', wrapped: (c) => c.macCompute, bare: (c) => c.bare.kdfGcm },
  { what: 'MAC checked / SHA-256 KDF + AES-GCM', wrapped: (c) => c.macCheck, bare: (c) => c.bare.kdfGcm },
  { what: 'deterministic ECDSA sign / native ECDSA sign', wrapped: (c) => c.sign, bare: (c) => c.bare.sign },
  { what: 'ECDSA verify / native ECDSA verify', wrapped: (c) => c.verify, bare: (c) => c.bare.verify },
  { what: 'ECDH (uncached) / native ECDH on KeyObjects', wrapped: (c) => c.ecdh, bare: (c) => c.bare.ecdh },
];

/** One round: the limit's units, then each SR kind end to end, one right after the other. */
interface Round {
  readonly load: number;
  readonly costs: UnitCosts;
  readonly results: Readonly<Record<SrKind, ThroughputResult>>;
}

function ratiosOf(rounds: readonly Round[], kind: SrKind, cores: number) {
  const strict = rounds.map(
    (r) => r.results[kind].perSecond / limitPerSecond(secondsPerSr(kind, r.costs, undefined), 1),
  );
  const bareLimits = rounds.map((r) =>
    limitPerSecond(weightedSum(SR_RECIPES[kind], bareSeconds(r.costs)), cores),
  );
  const bare = rounds.map((r, i) => r.results[kind].perSecond / (bareLimits[i] as number));
  return { strict, bare, bareLimits };
}

/** Section 1: SR/s end to end, in interleaved rounds, beside the strict and the bare limit. */
async function throughputSection(config: BenchConfig, table: FigureTable): Promise<void> {
  table.startSection(SR_SECTION);
  const cores = config.cpus;
  const sessions = {
    read: await openThroughput('read', config.throughput),
    critical: await openThroughput('critical', config.throughput),
  };
  const rounds: Round[] = [];
  try {
    for (let round = 0; round < config.rounds; round++) {
      const [load] = loadavg();
      const costs = await measureUnitCosts({
        brokerMessages: config.brokerMessages,
        calls: config.microCalls,
        window: config.throughput.window,
      });
      const read = await sessions.read.measure(config.throughput.requests);
      const critical = await sessions.critical.measure(config.throughput.requests);
      rounds.push({ load: load ?? 0, costs, results: { read, critical } });
      table.note(
        `round ${round + 1}/${config.rounds} (load ${fixed(load ?? 0, 1)}): 11.2 ${fixed(read.perSecond)} SR/s, 8.1.1 ${fixed(critical.perSecond)} SR/s`,
      );
    }
  } finally {
    await sessions.read.close();
    await sessions.critical.close();
  }
  const last = rounds[rounds.length - 1] as Round;
  const us = (pick: (c: UnitCosts) => Cost) =>
    `${(median(rounds.map((r) => pick(r.costs).wall)) * 1e6).toFixed(1)}`;
  table.note(
    `unit costs, µs (wall, median of the rounds' fastest-of-3): broker message ${us((c) => c.brokerMessage)} (one-way stream, ` +
      `${config.throughput.window} in flight), envelope ${us((c) => c.envelope)} (raw cbor-x ${us((c) => c.bare.cbor)}), ` +
      `GBCS payload ${us((c) => c.gbcsPayload)} (codec alone ${us((c) => c.bare.gbcsCodec)}), MAC ${us((c) => c.macCompute)} / check ${us((c) => c.macCheck)} ` +
      `(KDF + AES-GCM ${us((c) => c.bare.kdfGcm)}), ECDSA sign ${us((c) => c.sign)} / verify ${us((c) => c.verify)} ` +
      `(native ${us((c) => c.bare.sign)} / ${us((c) => c.bare.verify)}), ECDH ${us((c) => c.ecdh)} (native ${us((c) => c.bare.ecdh)}; cached off the path)`,
  );
  for (const kind of KINDS) {
    const rate = spreadOf(rounds.map((r) => r.results[kind].perSecond));
    const { strict, bare, bareLimits } = ratiosOf(rounds, kind, cores);
    const bareRatio = spreadOf(bare);
    const limit = median(bareLimits);
    table.add({
      section: SR_SECTION,
      what: `${SR_UNDER_TEST[kind]} ${SR_TITLE[kind]}`,
      value: `${fixed(rate.median)} SR/s`,
      beside: `bare limit on ${cores} cores ${fixed(limit)} SR/s → ratio ${describeSpread(bareRatio)} (${describeTarget(SR_TARGET)}); SR/s spread ${(rate.relative * 100).toFixed(0)} %`,
      met: meets(bareRatio.median, SR_TARGET),
      ratio: bareRatio.median,
      target: SR_TARGET,
    });
    const strictRatio = spreadOf(strict);
    table.add({
      section: SR_SECTION,
      what: `${SR_UNDER_TEST[kind]} against the old strict limit (trialsim's units, 1 core)`,
      value: `${fixed(median(rounds.map((r) => limitPerSecond(secondsPerSr(kind, r.costs, undefined), 1))))} SR/s`,
      beside: `ratio ${describeSpread(strictRatio)} (${describeTarget(SR_TARGET)})`,
      met: meets(strictRatio.median, SR_TARGET),
      ratio: strictRatio.median,
      target: SR_TARGET,
    });
    // Per-SR cost against the sum of its units: the strict ratio turned round, by CPU time too.
    const perSr = spreadOf(
      rounds.map((r) => 1 / r.results[kind].perSecond / secondsPerSr(kind, r.costs, undefined)),
    );
    const perSrCpu = median(
      rounds.map((r) => r.results[kind].cpuSecondsPerSr / secondsPerSr(kind, r.costs, undefined, 'cpu')),
    );
    table.add({
      section: SR_SECTION,
      what: `${SR_UNDER_TEST[kind]} cost of an SR / the sum of its units`,
      value: `${perSr.median.toFixed(2)}×`,
      beside: `${describeSpread(perSr)} (${describeTarget(PER_SR_TARGET)}); by CPU time ${perSrCpu.toFixed(2)}×`,
      met: meets(perSr.median, PER_SR_TARGET),
      ratio: perSr.median,
      target: PER_SR_TARGET,
    });
    const recipe = SR_RECIPES[kind];
    const seen = last.results[kind].messagesPerSr;
    if (Math.abs(seen - recipe.brokerMessage) > 0.01) {
      table.note(
        `warning: ${seen.toFixed(2)} messages per SR seen; the limit assumes ${recipe.brokerMessage}`,
      );
    }
  }
  for (const wrapper of WRAPPERS) {
    const ratio = spreadOf(rounds.map((r) => wrapper.wrapped(r.costs).wall / wrapper.bare(r.costs).wall));
    table.add({
      section: SR_SECTION,
      what: `unit: ${wrapper.what}`,
      value: `${ratio.median.toFixed(2)}×`,
      beside: `${describeSpread(ratio)} (${describeTarget(WRAPPER_TARGET)})`,
      met: meets(ratio.median, WRAPPER_TARGET),
      ratio: ratio.median,
      target: WRAPPER_TARGET,
    });
  }
  // For information: the broker's share measured on the SR's own message pattern instead.
  for (const kind of KINDS) {
    const recipe = SR_RECIPES[kind];
    const pattern = await measureMessagePattern({
      kind,
      devices: config.throughput.devices,
      window: config.throughput.window,
      requests: config.patternRequests,
      messageBytes: last.costs.messageBytes[kind],
    });
    if (pattern.messagesPerSr !== recipe.brokerMessage) {
      table.note(
        `warning: the message pattern delivered ${pattern.messagesPerSr.toFixed(2)} messages per SR`,
      );
    }
    table.note(
      `for information, ${SR_UNDER_TEST[kind]}: its ${recipe.brokerMessage} messages alone between the same parties (no crypto, codec or DCC/device work) ` +
        `take ${(pattern.wall * 1e6).toFixed(0)} µs per SR, against ${(recipe.brokerMessage * last.costs.brokerMessage.wall * 1e6).toFixed(0)} µs ` +
        `as one pipelined stream`,
    );
  }
  const shared = await measureThroughput('read', { ...config.throughput, deviceConnection: 'shared' });
  table.add({
    section: SR_SECTION,
    what: `${SR_UNDER_TEST.read} with the devices on one shared connection (scale option)`,
    value: `${fixed(shared.perSecond)} SR/s`,
    beside: 'one round (for information)',
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
  const startedAt = new Date().toISOString();
  const [loadStart] = loadavg();
  process.stdout.write(
    `trialsim bench${config.quick ? ' --quick (direction only: short workloads)' : ''} — node ${process.version}, ` +
      `${config.cpus} CPUs (os.availableParallelism), load average ${fixed(loadStart ?? 0, 1)}\n`,
  );
  const table = new FigureTable();
  await throughputSection(config, table);
  await scaleSection(config.scale, table);
  await wallTimeSection(table, config.quick, config.cliRounds);
  await virtualTimeSection(table, config.timers);
  await scaleTrialSection(table, config.trialDevices);
  const seconds = (performance.now() - started) / 1000;
  const [loadEnd] = loadavg();
  table.printRatios();
  process.stdout.write(
    `\nbench finished in ${fixed(seconds, 1)} s, load average ${fixed(loadEnd ?? 0, 1)}; ${table.missed.length} target(s) missed\n`,
  );
  const run: RunRecord = {
    started: startedAt,
    node: process.version,
    cpus: config.cpus,
    loadStart: loadStart ?? 0,
    loadEnd: loadEnd ?? 0,
    seconds,
    figures: table.figures,
  };
  if (config.jsonFile !== undefined) {
    await writeFile(config.jsonFile, `${JSON.stringify({ quick: config.quick, ...run }, null, 2)}\n`);
  }
  if (config.write) {
    const readmeFile = join(PACKAGE_ROOT, 'README.md');
    const figuresFile = join(PACKAGE_ROOT, 'bench', 'FIGURES.md');
    await writeFile(readmeFile, spliceReadme(await readFile(readmeFile, 'utf8'), run));
    await writeFile(figuresFile, figuresMarkdown(run, FIGURES_METHOD));
    process.stdout.write(`wrote ${figuresFile} and the figures table in ${readmeFile}\n`);
  }
}

await main();
