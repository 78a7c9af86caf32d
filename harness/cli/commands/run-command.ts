import type { Command } from 'commander';
import { ConsoleReporter } from '../../reporters/console-reporter.js';
import type { Reporter } from '../../reporters/reporter.js';
import { ResultsJsonReporter } from '../../reporters/results-json-reporter.js';
import { discoverScenarios } from '../../suite/discover.js';
import { runSuite } from '../../suite/run-suite.js';
import { exitCodeForVerdict } from '../exit-codes.js';
import { parseBrokerUrl } from './broker-option.js';

export function registerRunCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('run')
    .description(
      'run scenarios (files, folders or globs; default: the built-in suite in scenarios/) and write evidence',
    )
    .argument('[paths...]', 'scenario files, folders or globs')
    .option(
      '--seed <seed>',
      'seed for keys, counters and randomness; the same seed gives the same results',
      'trialsim',
    )
    .option(
      '--broker <url>',
      'external MQTT broker, mqtt://host:port (default: aedes embedded on loopback)',
      parseBrokerUrl,
    )
    .option('--out <dir>', 'evidence folder to write results.json into', 'evidence')
    .option('--filter <text>', 'only scenarios whose id, title or tags contain this text')
    .option('--bail', 'stop after the first scenario that does not pass', false)
    .option('--json', 'print the results as JSON on stdout instead of progress lines', false)
    .action(
      async (
        paths: string[],
        opts: { seed: string; broker?: string; out: string; filter?: string; bail: boolean; json: boolean },
      ) => {
        const files = await discoverScenarios(paths);
        const reporters: Reporter[] = [new ResultsJsonReporter(opts.out)];
        if (!opts.json) reporters.push(new ConsoleReporter());
        const results = await runSuite({
          files,
          seed: opts.seed,
          ...(opts.broker === undefined ? {} : { brokerUrl: opts.broker }),
          ...(opts.filter === undefined ? {} : { filter: opts.filter }),
          bail: opts.bail,
          reporters,
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        else process.stdout.write(`evidence: ${opts.out}/results.json\n`);
        exit(exitCodeForVerdict(results.verdict));
      },
    );
}
