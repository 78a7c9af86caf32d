import { Command, CommanderError } from 'commander';
import { PROGRAM_DESCRIPTION, toolVersion } from './command-index.js';
import { EXIT, EXIT_CODES_HELP, exitCodeForError } from './exit-codes.js';

/** Registers one module's command(s) on the program; `exit` sets the status a command ends with. */
type Register = (program: Command, exit: (code: number) => void) => void;

/**
 * Each command module, the command names it registers, in the help's order. Loaded on demand: a
 * command module pulls in its share of trialsim (broker, crypto, XML, the browser), and loading
 * all of them cost every command line about a second of CPU before it did anything.
 */
const COMMAND_MODULES: readonly (readonly [names: readonly string[], load: () => Promise<Register>])[] = [
  [['init'], () => import('./commands/init-command.js').then((m) => m.registerInitCommand)],
  [['run'], () => import('./commands/run-command.js').then((m) => m.registerRunCommand)],
  [['list'], () => import('./commands/list-command.js').then((m) => m.registerListCommand)],
  [['validate'], () => import('./commands/validate-command.js').then((m) => m.registerValidateCommand)],
  [['pki'], () => import('./commands/pki-command.js').then((m) => m.registerPkiCommand)],
  [['verify'], () => import('./commands/verify-command.js').then((m) => m.registerVerifyCommand)],
  [['report'], () => import('./commands/report-command.js').then((m) => m.registerReportCommand)],
  [['merge'], () => import('./commands/merge-command.js').then((m) => m.registerMergeCommand)],
  [
    ['provision', 'device'],
    () => import('./commands/device-command.js').then((m) => m.registerDeviceCommands),
  ],
  [['bridge'], () => import('./commands/bridge-command.js').then((m) => m.registerBridgeCommand)],
  [['broker'], () => import('./commands/broker-command.js').then((m) => m.registerBrokerCommand)],
  [['schema'], () => import('./commands/schema-command.js').then((m) => m.registerSchemaCommand)],
  [['up'], () => import('./commands/up-command.js').then((m) => m.registerUpCommand)],
  [['sr'], () => import('./commands/sr-command.js').then((m) => m.registerSrCommand)],
  [['watch'], () => import('./commands/watch-command.js').then((m) => m.registerWatchCommand)],
  [['gbcs'], () => import('./commands/gbcs-command.js').then((m) => m.registerGbcsCommand)],
  [['duis'], () => import('./commands/duis-command.js').then((m) => m.registerDuisCommand)],
];

/**
 * The trialsim command. Thin on purpose: each command parses its arguments and calls the same
 * harness API the tests use. Given the command line, only the module of the command it names is
 * loaded; anything else (help, an unknown command, none) loads them all, so commander can list
 * every command and suggest the nearest.
 */
export async function buildProgram(
  exit: (code: number) => void,
  argv: readonly string[] = [],
): Promise<Command> {
  const program = new Command('trialsim')
    .description(PROGRAM_DESCRIPTION)
    .version(toolVersion())
    .showHelpAfterError('(run trialsim --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();
  const named = COMMAND_MODULES.filter(([names]) => names.includes(argv[0] ?? ''));
  const registers = await Promise.all(
    (named.length === 1 ? named : COMMAND_MODULES).map(([, load]) => load()),
  );
  for (const register of registers) register(program, exit);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.passed;
  try {
    const program = await buildProgram((c) => {
      code = c;
    }, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed the message; --help and --version exit 0.
      return err.exitCode === 0 ? EXIT.passed : EXIT.usage;
    }
    const { code: exitCode, message } = exitCodeForError(err);
    process.stderr.write(`trialsim: ${message}\n`);
    return exitCode;
  }
}
