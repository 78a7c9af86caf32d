import { writeFileSync } from 'node:fs';
import { main } from '../harness/cli/main.js';

/**
 * Runs the trialsim CLI in this process and writes its exit code and CPU time to a file:
 *   node dist/bench/timed-cli-child.js <result.json> run … (any trialsim arguments)
 * The parent times the wall clock around the whole process, start-up included, as a user sees it.
 */
const [resultFile, ...argv] = process.argv.slice(2);
if (resultFile === undefined) throw new Error('usage: timed-cli-child.js <result.json> <trialsim args…>');
const cpuBefore = process.cpuUsage();
const code = await main(argv);
const cpu = process.cpuUsage(cpuBefore);
// maxRSS (KB): the peak over the whole run, evidence writing included.
const maxRssKb = process.resourceUsage().maxRSS;
writeFileSync(resultFile, JSON.stringify({ code, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb }));
process.exitCode = code;
