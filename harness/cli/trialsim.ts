import { isTopLevelHelpOrVersion } from './command-index.js';
import { installProcessGuards } from './process-guards.js';

// The executable entry point: run the CLI, then exit with its status once output has drained.
// Exiting explicitly matters: a handle left open (a broker that failed to listen, a client
// still trying) must not keep a finished command alive.
let finished = false;
const exit = (code: number): never => process.exit(code);
installProcessGuards({
  finished: () => finished,
  exit,
  stderr: (line) => process.stderr.write(`${line}\n`),
});
// `trialsim --help` and `--version` are answered from the command index; every other command line
// loads the commands (main.js), which pulls in most of trialsim and takes several times as long.
const argv = process.argv.slice(2);
const run = isTopLevelHelpOrVersion(argv)
  ? import('./command-index.js').then(({ printTopLevel }) => printTopLevel(argv))
  : import('./main.js').then(({ main }) => main(argv));
run.then((code) => {
  finished = true;
  process.exitCode = code;
  // Writes queued on a pipe are flushed before the exit; the empty writes wait for them.
  process.stdout.write('', () => process.stderr.write('', () => exit(code)));
});
