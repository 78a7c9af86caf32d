import { writeFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { main } from '../harness/cli/main.js';

/**
 * Runs the trialsim CLI in this process and writes its exit code and CPU time to a file:
 *   node dist/bench/timed-cli-child.js <result.json> run … (any trialsim arguments)
 * The parent times the wall clock around the whole process, start-up included, as a user sees it.
 */
const [resultFile, ...argv] = process.argv.slice(2);
if (resultFile === undefined) throw new Error('usage: timed-cli-child.js <result.json> <trialsim args…>');
// The peak before the evidence is written: the bundle goes into a `.<out>.partial-*` folder made
// first (atomic-folder.ts), so its mkdir marks the end of the run and the start of the writing.
// Wrapped here, in the bench's child only, since trialsim has no reason to report it.
let maxRssKbBeforeWriting: number | undefined;
const mkdir = fsPromises.mkdir;
fsPromises.mkdir = ((path: Parameters<typeof mkdir>[0], options?: Parameters<typeof mkdir>[1]) => {
  if (maxRssKbBeforeWriting === undefined && /\.partial-/.test(String(path)))
    maxRssKbBeforeWriting = process.resourceUsage().maxRSS;
  return mkdir(path, options);
}) as typeof mkdir;
syncBuiltinESMExports();
const cpuBefore = process.cpuUsage();
const code = await main(argv);
const cpu = process.cpuUsage(cpuBefore);
// maxRSS (KB): the peak over the whole run, evidence writing included.
const maxRssKb = process.resourceUsage().maxRSS;
writeFileSync(
  resultFile,
  JSON.stringify({ code, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb, maxRssKbBeforeWriting }),
);
process.exitCode = code;
