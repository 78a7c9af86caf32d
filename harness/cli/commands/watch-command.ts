import type { Command } from 'commander';
import { TrialsimError } from '../../../simulator/errors.js';
import { DEFAULT_UP_DIR, readUpConnection } from '../../live/up-connection.js';
import { watchStack } from '../../watch/watch-client.js';
import { formatWatchLine } from '../../watch/watch-line.js';
import { watchTopic } from '../../watch/watch-topic.js';
import { untilSignal } from './until-signal.js';

const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)];

/**
 * `trialsim watch`: the live, decoded messages of a running `trialsim up` stack, one line per
 * message as the failure trace shows them, filtered by party, device and SRV, until Ctrl-C.
 */
export function registerWatchCommand(program: Command): void {
  program
    .command('watch')
    .description(
      'print the decoded messages of a running `trialsim up` stack as they flow (until Ctrl-C or the stack stops)',
    )
    .option('--stack <dir>', 'folder of the running stack (where up.json is)', DEFAULT_UP_DIR)
    .option('--broker <url>', "the stack's broker, instead of reading up.json")
    .option('--namespace <ns>', 'topic namespace with --broker', 'up')
    .option(
      '--party <name|eui...>',
      'only messages from or to this party (repeat or comma-separate)',
      collect,
      [],
    )
    .option('--device <id|eui...>', 'only messages to, from or about this device', collect, [])
    .option('--srv <srv...>', 'only messages of SRs of this SRV, e.g. 8.1.1', collect, [])
    .option('--json', 'one JSON object per message', false)
    .action(
      async (opts: {
        stack: string;
        broker?: string;
        namespace: string;
        party: string[];
        device: string[];
        srv: string[];
        json: boolean;
      }) => {
        const up = opts.broker === undefined ? await readUpConnection(opts.stack) : undefined;
        if (up?.auth)
          throw new TrialsimError(
            'USAGE',
            `the stack at ${up.brokerUrl} runs with --auth, which puts no decoded stream on the bus: use its web console (up --console), or start \`trialsim up\` without --auth for watch`,
          );
        // Names for EUIs given on the command line: the stream names parties and devices.
        const names = new Map<string, string>();
        for (const p of up?.parties ?? []) names.set(p.eui, p.name);
        for (const d of up?.devices ?? []) names.set(d.eui, d.id);
        const named = (values: string[]) => values.map((v) => names.get(v.toUpperCase()) ?? v);
        const brokerUrl = opts.broker ?? (up?.brokerUrl as string);
        const topic = up?.watchTopic ?? watchTopic(opts.namespace);
        let stopped: (() => void) | undefined;
        const stackStopped = new Promise<'stack stopped'>((resolve) => {
          stopped = () => resolve('stack stopped');
        });
        const watcher = await watchStack({
          brokerUrl,
          topic,
          clientId: `trialsim-watch-${process.pid}`,
          filter: { parties: named(opts.party), devices: named(opts.device), srvs: opts.srv },
          onEntry: (entry) =>
            process.stdout.write(`${opts.json ? JSON.stringify(entry) : formatWatchLine(entry)}\n`),
          onProblem: (problem) => process.stderr.write(`trialsim watch: ignored a message: ${problem}\n`),
          onStopped: () => stopped?.(),
        });
        process.stderr.write(`trialsim watch: ${topic} on ${brokerUrl} (Ctrl-C stops)\n`);
        try {
          const why = await Promise.race([untilSignal(), stackStopped]);
          if (why === 'stack stopped') process.stderr.write('trialsim watch: the stack stopped\n');
        } finally {
          await watcher.stop();
        }
      },
    );
}
