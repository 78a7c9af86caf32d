// A command whose promise never settles and that holds no handle: what a run whose broker
// connection vanished under a pending publish used to look like. The guard must exit 3.
import { installProcessGuards } from '../../../harness/cli/process-guards.js';

installProcessGuards({
  finished: () => false,
  exit: (code) => process.exit(code),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
await new Promise<never>(() => {});
