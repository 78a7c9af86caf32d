import { main } from './main.js';

// The executable entry point: run the CLI and exit with its status once output has drained.
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
