import { type Command, InvalidArgumentError } from 'commander';
import { sendRemoteSr } from '../../live/remote-sr.js';
import { describeOutcome, describeResponse, resultJson } from '../../live/sr-result.js';
import { DEFAULT_UP_DIR, readUpConnection } from '../../live/up-connection.js';
import { EXIT } from '../exit-codes.js';

function parseBody(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidArgumentError('give the body as a JSON object, e.g. \'{"status":"Pending"}\'');
}

/** `trialsim sr`: one service request to a running `trialsim up` stack (harness/live/remote-sr.ts). */
export function registerSrCommand(program: Command, exit: (code: number) => void): void {
  program
    .command('sr')
    .description(
      'send a service request to a running `trialsim up` stack as a DCC User and print the outcome',
    )
    .requiredOption('--as <party>', 'DCC User to act as, e.g. supplier-a')
    .requiredOption('--srv <srv>', 'service reference variant, e.g. 8.2 or 8.1.1')
    .option('--device <id|eui>', 'the device the SR is for (scenario id or EUI)')
    .option('--body <json>', 'JSON object merged over the default body for the SRV', parseBody)
    .option('--stack <dir>', 'folder of the running stack (where up.json is)', DEFAULT_UP_DIR)
    .option('--timeout <ms>', 'real ms to wait for the outcome', (v) => Number(v), 15_000)
    .option('--json', 'print the responses as JSON', false)
    .action(
      async (opts: {
        as: string;
        srv: string;
        device?: string;
        body?: Record<string, unknown>;
        stack: string;
        timeout: number;
        json: boolean;
      }) => {
        const up = await readUpConnection(opts.stack);
        const result = await sendRemoteSr(
          up,
          { as: opts.as, srv: opts.srv, device: opts.device, body: opts.body },
          opts.timeout,
        );
        const { outcome } = result;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(resultJson(result), null, 2)}\n`);
        } else {
          process.stdout.write(`${result.requestId}\n`);
          for (const r of result.responses) process.stdout.write(`  ${describeResponse(r)}\n`);
          process.stdout.write(
            outcome === undefined
              ? `no outcome within ${opts.timeout} ms (is \`trialsim up\` running? device responses may need virtual time to pass)\n`
              : `outcome: ${describeOutcome(outcome)}\n`,
          );
        }
        if (outcome === undefined) exit(EXIT.error);
        else
          exit(
            outcome.kind === 'response' && outcome.response.responseCode === 'I0' ? EXIT.passed : EXIT.failed,
          );
      },
    );
}
