import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../suite/run-suite.js';
import { PROGRAM_DESCRIPTION } from './command-index.js';
import { registerBridgeCommand } from './commands/bridge-command.js';
import { registerBrokerCommand } from './commands/broker-command.js';
import { registerDeviceCommands } from './commands/device-command.js';
import { registerDuisCommand } from './commands/duis-command.js';
import { registerGbcsCommand } from './commands/gbcs-command.js';
import { registerInitCommand } from './commands/init-command.js';
import { registerListCommand } from './commands/list-command.js';
import { registerMergeCommand } from './commands/merge-command.js';
import { registerPkiCommand } from './commands/pki-command.js';
import { registerReportCommand } from './commands/report-command.js';
import { registerRunCommand } from './commands/run-command.js';
import { registerSchemaCommand } from './commands/schema-command.js';
import { registerSrCommand } from './commands/sr-command.js';
import { registerUpCommand } from './commands/up-command.js';
import { registerValidateCommand } from './commands/validate-command.js';
import { registerVerifyCommand } from './commands/verify-command.js';
import { registerWatchCommand } from './commands/watch-command.js';
import { EXIT, EXIT_CODES_HELP, exitCodeForError } from './exit-codes.js';

/**
 * The trialsim command. Thin on purpose: each command parses its arguments and calls the same
 * harness API the tests use.
 */
export function buildProgram(exit: (code: number) => void): Command {
  const program = new Command('trialsim')
    .description(PROGRAM_DESCRIPTION)
    .version(TOOL_VERSION)
    .showHelpAfterError('(run trialsim --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();
  registerInitCommand(program);
  registerRunCommand(program, exit);
  registerListCommand(program);
  registerValidateCommand(program, exit);
  registerPkiCommand(program);
  registerVerifyCommand(program, exit);
  registerReportCommand(program, exit);
  registerMergeCommand(program, exit);
  registerDeviceCommands(program);
  registerBridgeCommand(program);
  registerBrokerCommand(program);
  registerSchemaCommand(program);
  registerUpCommand(program);
  registerSrCommand(program, exit);
  registerWatchCommand(program);
  registerGbcsCommand(program, exit);
  registerDuisCommand(program, exit);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.passed;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
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
