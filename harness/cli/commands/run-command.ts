import { type Command, InvalidArgumentError, Option } from 'commander';
import { TrialsimError } from '../../../simulator/errors.js';
import { parseDutArgument, parseDutImageHash } from '../../dut/dut-options.js';
import { dutSuiteOptions } from '../../dut/dut-run.js';
import { evidenceBundleReporter } from '../../evidence/bundle-setup.js';
import { ConsoleReporter } from '../../reporters/console-reporter.js';
import { GithubActionsReporter } from '../../reporters/github-reporter.js';
import { JunitReporter } from '../../reporters/junit-reporter.js';
import { NagleWarningReporter } from '../../reporters/nagle-warning-reporter.js';
import { ProgressReporter } from '../../reporters/progress-reporter.js';
import type { Reporter } from '../../reporters/reporter.js';
import { ResultsStdoutReporter } from '../../reporters/results-stdout-reporter.js';
import { paintFor, wantsProgressBar } from '../../reporters/terminal-style.js';
import { discoverScenarios } from '../../suite/discover.js';
import { PUBLIC_DEFAULT_SEED, publicSeedNotice } from '../../suite/public-seed.js';
import { runSuite } from '../../suite/run-suite.js';
import { parseShard, type Shard } from '../../suite/selection.js';
import { startRunWatch } from '../../watch/run-watch.js';
import { exitCodeForVerdict } from '../exit-codes.js';
import { CONFIG_OPTION, withProjectDefaults } from '../project-defaults.js';
import { parseBrokerUrl } from './broker-option.js';

interface RunCommandOptions {
  readonly config?: string;
  readonly seed: string;
  readonly broker?: string;
  readonly out: string;
  readonly filter?: string;
  readonly bail: boolean;
  readonly json: boolean;
  readonly junit?: string;
  readonly parallel: number;
  readonly progress: boolean;
  readonly dut: string[];
  readonly dutNamespace: string;
  readonly dutImageHash?: Record<string, string>;
  readonly application?: string;
  readonly signingKey?: string;
  readonly usersOver?: 'mqtt' | 'duis';
  readonly watch: boolean;
  readonly shard?: Shard;
  readonly passWithNoScenarios: boolean;
  readonly reporter: 'console' | 'github';
}

function parseUsersOver(value: string): 'mqtt' | 'duis' {
  if (value !== 'mqtt' && value !== 'duis') throw new InvalidArgumentError('give mqtt or duis');
  return value;
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError('give a whole number from 1 to 64');
  return n;
}

/**
 * The human-facing reporters: a progress bar above the lines on a terminal someone watches (not
 * a pipe, CI or TERM=dumb), plain lines otherwise; colour as NO_COLOR / FORCE_COLOR say.
 */
function humanReporters(opts: RunCommandOptions): Reporter[] {
  // Before the bundle: the results reach stdout even when the evidence cannot be written.
  // The Nagle warning goes to stderr (above a progress bar), so --json keeps stdout for the results.
  if (opts.json) return [new ResultsStdoutReporter(), new NagleWarningReporter()];
  const annotations = opts.reporter === 'github' ? [new GithubActionsReporter()] : [];
  const paint = paintFor({ env: process.env, isTTY: process.stdout.isTTY === true });
  if (opts.progress && wantsProgressBar({ env: process.env, isTTY: process.stderr.isTTY === true })) {
    const progress = new ProgressReporter();
    return [
      new ConsoleReporter((line) => progress.log(line), paint),
      progress,
      new NagleWarningReporter((line) => progress.log(line)),
      ...annotations,
    ];
  }
  return [new ConsoleReporter(undefined, paint), new NagleWarningReporter(), ...annotations];
}

/** What --broker needs of the broker, and what trialsim checks of it (README, "Brokers"). */
export const BROKER_HELP = `
External broker (--broker): every message of a run is a small request or response, which the
broker must pass on at once. mosquitto holds small writes back by default (Nagle's algorithm), so
each answer waits for a delayed ACK: a 100-device trial took 84 s instead of 2.6 s. Add

  set_tcp_nodelay true

to mosquitto.conf. At each scenario's start trialsim asks the broker, on a connection of its own
logged in as the DCC, for its software ($SYS/broker/version) and times five PUBLISH -> PUBACK round
trips and five pairs of PUBLISHes; the evidence records both, and a broker that delays the second
PUBACK of a pair by a delayed ACK gets a warning on stderr. Per-party passwords and an ACL for
mosquitto: README, "Brokers".
`;

export function registerRunCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('run')
    .description(
      'run scenarios (files, folders or globs; default: the built-in suite in scenarios/) and write evidence',
    )
    .argument('[paths...]', 'scenario files, folders or globs')
    .option(
      '--seed <seed>',
      'seed for keys, broker passwords, counters and randomness; the same seed gives the same results (the default is public: set a private one on a shared broker)',
      PUBLIC_DEFAULT_SEED,
    )
    .option(
      '--broker <url>',
      'external MQTT broker, mqtt://host:port (default: aedes embedded on loopback); for mosquitto set `set_tcp_nodelay true` (below)',
      parseBrokerUrl,
    )
    .option('--out <dir>', 'evidence folder to write (replaced atomically at the end)', 'evidence')
    .option('--application <file>', 'trial application (YAML) for the report cover sheet and the manifest')
    .option(
      '--signing-key <pem>',
      "manufacturer's evidence key (P-256 PEM) that signs the manifest (default: the test PKI's manufacturer key for the seed)",
    )
    .option('--filter <text>', 'only scenarios whose id, title or tags contain this text')
    .option(
      '--bail',
      'stop after the first scenario that does not pass; the rest are reported as not run',
      false,
    )
    .option(
      '--shard <i/n>',
      'run the i-th of n equal shares of the selection (CI runners each take one; combine their --out folders with trialsim merge)',
      parseShard,
    )
    .option(
      '--pass-with-no-scenarios',
      'exit 0 when the paths, --filter and --shard select no scenario (otherwise that is exit 2)',
      false,
    )
    .option(
      '--watch',
      "publish each scenario's decoded messages on the --broker for `trialsim watch --broker URL --namespace +`",
      false,
    )
    .option('--json', 'print the results as JSON on stdout instead of progress lines', false)
    .addOption(
      new Option(
        '--reporter <name>',
        'console: progress lines; github: those plus GitHub Actions annotations (::error file=…,line=…) on the failing step of each scenario',
      )
        .choices(['console', 'github'])
        .default('console'),
    )
    .option('--junit <file>', 'also write JUnit XML (one testcase per scenario) for CI')
    .option(
      '--parallel <n>',
      'run scenarios in n worker processes, each with its own embedded broker; results stay in file order',
      parseWorkers,
      1,
    )
    .option(
      '--dut <id[=mqtt]>',
      'a real device under test plays this scenario device (repeatable): it connects to --broker itself or through `trialsim bridge`; runs the scenarios tagged dut unless --filter says otherwise',
      parseDutArgument,
      [],
    )
    .option('--dut-namespace <ns>', 'topic namespace the devices under test were provisioned with', 'dut')
    .option(
      '--dut-image-hash <id=sha256>',
      'the SHA-256 of the firmware image a device under test runs, declared by you (repeatable); the evidence marks it declared, and what the device itself shows (an 11.3 it answered with success) takes precedence',
      parseDutImageHash,
    )
    .option(
      '--users-over <interface>',
      "how every DCC User reaches the DCC: mqtt (default; or as each scenario's parties: says) or duis (signed DUIS XML over HTTP)",
      parseUsersOver,
    )
    .option(...CONFIG_OPTION)
    .option(
      '--no-progress',
      'no progress bar (it is shown only on a terminal, never with --json, CI=true or TERM=dumb)',
    )
    .addHelpText('after', BROKER_HELP)
    .action(async (givenPaths: string[], givenOpts: RunCommandOptions, command: Command) => {
      const { paths, opts } = await withProjectDefaults(command, givenPaths, givenOpts);
      if (opts.dut.length > 0 && (opts.broker === undefined || opts.parallel > 1)) {
        throw new TrialsimError(
          'USAGE',
          '--dut needs --broker (the device and the run share it; e.g. `trialsim broker --port 1883`) and no --parallel',
        );
      }
      for (const id of Object.keys(opts.dutImageHash ?? {}))
        if (!opts.dut.includes(id))
          throw new TrialsimError(
            'USAGE',
            `--dut-image-hash ${id}=…: ${id} is not a device under test (add --dut ${id})`,
          );
      if (opts.json && opts.reporter === 'github')
        throw new TrialsimError(
          'USAGE',
          '--reporter github prints workflow commands on stdout, which --json keeps for the results alone: use one of them',
        );
      if (opts.watch && (opts.broker === undefined || opts.parallel > 1))
        throw new TrialsimError(
          'USAGE',
          '--watch needs --broker (the run publishes on the broker that trialsim watch reads) and no --parallel',
        );
      const seedNotice = publicSeedNotice(opts.seed);
      // On stdout with the run's other lines; with --json stdout is the results alone.
      if (seedNotice !== undefined)
        (opts.json ? process.stderr : process.stdout).write(`seed: ${seedNotice}\n`);
      const files = await discoverScenarios(paths);
      const dut = dutSuiteOptions({
        ids: opts.dut,
        namespace: opts.dutNamespace,
        ...(opts.dutImageHash === undefined ? {} : { imageHashes: opts.dutImageHash }),
        ...(opts.filter === undefined ? {} : { filter: opts.filter }),
        ...(opts.json ? {} : { print: (line: string) => process.stdout.write(`${line}\n`) }),
      });
      const bundle = await evidenceBundleReporter({
        ...opts,
        ...(dut.filter === undefined ? {} : { filter: dut.filter }),
      });
      // The bundle goes last: files other reporters write into --out are then signed with it.
      const reporters: Reporter[] = [...dut.reporters];
      if (opts.junit !== undefined) reporters.push(new JunitReporter(opts.junit));
      reporters.push(...humanReporters(opts), bundle);
      const watch = opts.watch ? await startRunWatch(opts.broker as string) : undefined;
      const onStackStarted =
        watch === undefined
          ? dut.onStackStarted
          : async (...args: Parameters<NonNullable<typeof dut.onStackStarted>>) => {
              await watch.onStackStarted(...args);
              await dut.onStackStarted?.(...args);
            };
      const results = await runSuite({
        files,
        seed: opts.seed,
        ...(opts.broker === undefined ? {} : { brokerUrl: opts.broker }),
        ...(dut.filter === undefined ? {} : { filter: dut.filter }),
        ...(dut.externalDevices === undefined ? {} : { externalDevices: dut.externalDevices }),
        ...(onStackStarted === undefined ? {} : { onStackStarted }),
        ...(opts.usersOver === undefined ? {} : { usersOver: opts.usersOver }),
        bail: opts.bail,
        ...(opts.shard === undefined ? {} : { shard: opts.shard }),
        passWithNoScenarios: opts.passWithNoScenarios,
        parallel: opts.parallel,
        reporters,
      }).finally(() => watch?.close());
      if (!opts.json)
        process.stdout.write(
          `evidence: ${opts.out}/ (report.html; check with: trialsim verify ${opts.out})\n`,
        );
      exit(exitCodeForVerdict(results.verdict));
    });
}
