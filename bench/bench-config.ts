import { availableParallelism } from 'node:os';
import type { ScaleConfig } from './device-scale.js';
import type { ThroughputOptions } from './sr-throughput.js';

/** What one bench run does; `--quick` scales the workloads down and never drops a figure. */
export interface BenchConfig {
  readonly quick: boolean;
  readonly cpus: number;
  readonly jsonFile: string | undefined;
  /** --write: regenerate bench/FIGURES.md and the README's figures table from this run. */
  readonly write: boolean;
  readonly brokerMessages: number;
  readonly microCalls: number;
  readonly throughput: ThroughputOptions;
  /** SRs per round of the message-pattern measurement (sr-message-pattern.ts). */
  readonly patternRequests: number;
  /** Interleaved rounds (limit units, then each SR kind); the median counts (the machine may be shared). */
  readonly rounds: number;
  /** Rounds of the --parallel timings (interleaved, median; start-up takes at least 5). */
  readonly cliRounds: number;
  /** Devices of the 18-month scale trial in one process (bench/scale-trial.ts). */
  readonly trialDevices: number;
  readonly scale: ScaleConfig;
  readonly timers: number;
}

const USAGE =
  'usage: npm run bench -- [--quick] [--write] [--broker mqtt://host:port] [--json file] [--help]';

/** What `npm run bench -- --help` prints. */
export const BENCH_HELP = `${USAGE}

Measures trialsim on this machine and prints every figure with its target or ratio beside it
(README "Performance", bench/FIGURES.md): service requests per second against the limit their
crypto, codec and broker work sets; memory and start-up at 1,000 to 100,000 devices; wall time of
the built-in suite and of an 18-month, 100-device trial; the cost of virtual time.

  --quick          the same figures on smaller workloads (direction only, never final figures)
  --write          regenerate bench/FIGURES.md and the README's figures table from this run
                   (with the load average recorded); refused with --quick
  --broker URL     run the fleet figure on an external MQTT broker (mqtt://host:port)
  --json FILE      also write the figures as JSON
  --help, -h       this text
`;

/** A wrong command line: the message says what to fix, with the usage line. */
export class BenchUsageError extends Error {}

export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

function optionValue(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--'))
    throw new BenchUsageError(`${flag} needs a value\n${USAGE}`);
  return value;
}

export function parseBenchArgs(args: readonly string[]): BenchConfig {
  const known = new Set(['--quick', '--write', '--broker', '--json']);
  for (const [i, arg] of args.entries()) {
    if (arg.startsWith('--') && !known.has(arg)) throw new BenchUsageError(`unknown option ${arg}\n${USAGE}`);
    if (!arg.startsWith('--') && !known.has(args[i - 1] ?? ''))
      throw new BenchUsageError(`unexpected ${arg}\n${USAGE}`);
  }
  const quick = args.includes('--quick');
  const write = args.includes('--write');
  if (quick && write)
    throw new BenchUsageError(`--write records final figures: run it without --quick\n${USAGE}`);
  const brokerUrl = optionValue(args, '--broker');
  if (brokerUrl !== undefined && !/^mqtts?:\/\/[^/]+/.test(brokerUrl))
    throw new BenchUsageError(`--broker needs mqtt://host:port\n${USAGE}`);
  const cpus = availableParallelism();
  return {
    quick,
    cpus,
    jsonFile: optionValue(args, '--json'),
    write,
    brokerMessages: quick ? 2_000 : 8_000,
    microCalls: quick ? 1_500 : 6_000,
    // --quick keeps the shape (SRs in flight, devices) and runs fewer SRs, so its ratios compare.
    throughput: quick
      ? { devices: 32, requests: 800, window: 16 }
      : { devices: 32, requests: 3_000, window: 16 },
    patternRequests: quick ? 1_000 : 4_000,
    rounds: quick ? 5 : 7,
    cliRounds: quick ? 1 : 5,
    trialDevices: quick ? 200 : 10_000,
    scale: {
      ownDevices: quick ? 50 : 1_000,
      sharedDevices: quick ? [1_000, 10_000] : [1_000, 10_000],
      fleetDevices: quick ? 10_000 : 100_000,
      fleetWorkers: Math.max(2, cpus),
      brokerUrl,
    },
    timers: quick ? 10_000 : 100_000,
  };
}
