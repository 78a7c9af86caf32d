import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../harness/package-root.js';

/** `trialsim run`'s default --parallel (harness/cli/commands/run-command.ts). */
const DEFAULT_PARALLEL = 1;

import { AT_MOST, describeSpread, describeTarget, median, meets, spreadOf } from './bench-stats.js';
import { type FigureTable, fixed } from './figure-table.js';

export interface CliTiming {
  readonly code: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Peak resident set size of the child, KB. */
  readonly maxRssKb: number;
  /** The peak before the evidence bundle was begun, KB (undefined when none was written). */
  readonly maxRssKbBeforeWriting: number | undefined;
}

/** Runs `trialsim <args> --out <tmp>` in a child process; wall time as a user sees it. */
export async function timeCli(args: readonly string[]): Promise<CliTiming> {
  const dir = await mkdtemp(join(tmpdir(), 'trialsim-bench-'));
  const result = join(dir, 'timing.json');
  const script = fileURLToPath(new URL('./timed-cli-child.js', import.meta.url));
  const started = performance.now();
  let stderr = '';
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [script, result, ...args, '--out', join(dir, 'evidence')], {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-2_000);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
  const wallMs = performance.now() - started;
  try {
    if (!existsSync(result)) {
      // The child died before it could report (a crash, out of memory): say how, not "no file".
      throw new Error(
        `trialsim ${args.join(' ')} ended with exit ${exitCode} before reporting: ${stderr.trim()}`,
      );
    }
    const { code, cpuMs, maxRssKb, maxRssKbBeforeWriting } = JSON.parse(await readFile(result, 'utf8')) as {
      code: number;
      cpuMs: number;
      maxRssKb: number;
      maxRssKbBeforeWriting?: number;
    };
    return { code, wallMs, cpuMs, maxRssKb, maxRssKbBeforeWriting };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const SECTION = '3. Wall time (trialsim run, a child process, as a user runs it)';

/** Wall time of `node <args>` in a child process, output discarded. */
async function timeNode(args: readonly string[]): Promise<{ ms: number; code: number }> {
  const started = performance.now();
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode ?? 1));
  });
  return { ms: performance.now() - started, code };
}

const STARTUP_TARGET = AT_MOST(2);
const PARALLEL_TARGET = AT_MOST(0.7);

/** `trialsim --help` against bare `node -e 0`, interleaved, median of the rounds. */
async function startupFigure(table: FigureTable, rounds: number): Promise<void> {
  // bin/trialsim.js, as a user starts it: the bundle, not the compiled modules one by one.
  const entry = join(PACKAGE_ROOT, 'bin', 'trialsim.js');
  const help: number[] = [];
  const bare: number[] = [];
  await timeNode(['-e', '0']); // the first start warms the file cache for both
  await timeNode([entry, '--help']);
  for (let round = 0; round < Math.max(5, rounds); round++) {
    bare.push((await timeNode(['-e', '0'])).ms);
    const run = await timeNode([entry, '--help']);
    if (run.code !== 0) throw new Error(`trialsim --help exited ${run.code}`);
    help.push(run.ms);
  }
  const ratio = spreadOf(help.map((ms, i) => ms / (bare[i] as number)));
  table.add({
    section: SECTION,
    what: '`trialsim --help` start-up / bare `node -e 0`',
    value: `${fixed(median(help))} ms`,
    beside: `node ${fixed(median(bare))} ms → ratio ${describeSpread(ratio)} (${describeTarget(STARTUP_TARGET)})`,
    met: meets(ratio.median, STARTUP_TARGET),
    ratio: ratio.median,
    target: STARTUP_TARGET,
  });
}

/**
 * `--parallel 2` against `--parallel 1` (the default) on the built-in suite, interleaved. Met
 * when 2 pays (≤ 0.7 of the wall time) or when it does not and the default is the faster.
 */
async function parallelFigure(table: FigureTable, rounds: number): Promise<void> {
  const one: number[] = [];
  const two: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const serial = await timeCli(['run', '--parallel', '1']);
    const parallel = await timeCli(['run', '--parallel', '2']);
    if (serial.code !== 0 || parallel.code !== 0)
      table.note(
        `warning: the suite exited ${serial.code} (--parallel 1) and ${parallel.code} (--parallel 2)`,
      );
    one.push(serial.wallMs);
    two.push(parallel.wallMs);
  }
  const ratio = spreadOf(two.map((ms, i) => ms / (one[i] as number)));
  const defaultIsFaster = DEFAULT_PARALLEL === 1 ? ratio.median >= 1 : ratio.median < 1;
  table.add({
    section: SECTION,
    what: 'suite wall time, --parallel 2 / --parallel 1',
    value: `${fixed(median(two) / 1000, 2)} s`,
    beside:
      `--parallel 1 ${fixed(median(one) / 1000, 2)} s → ratio ${describeSpread(ratio)} (${describeTarget(PARALLEL_TARGET)}, ` +
      `or the default, --parallel ${DEFAULT_PARALLEL}, the faster: ${defaultIsFaster ? 'it is' : 'it is not'})`,
    met: meets(ratio.median, PARALLEL_TARGET) || defaultIsFaster,
    ratio: ratio.median,
    target: PARALLEL_TARGET,
  });
}

export async function wallTimeSection(table: FigureTable, quick: boolean, rounds: number): Promise<void> {
  table.startSection(SECTION);
  const trialFile = join(PACKAGE_ROOT, 'scenarios', 'full-trial-100.yaml');
  if (existsSync(trialFile)) {
    const trial = await timeCli(['run', trialFile]);
    table.add({
      section: SECTION,
      what: '18-month, 100-device trial (scenarios/full-trial-100.yaml)',
      value: `${fixed(trial.wallMs / 1000, 2)} s`,
      beside: `target < 5 s; CPU ${fixed(trial.cpuMs / 1000, 2)} s${trial.cpuMs < 5_000 ? ' (< 5 s by CPU time)' : ''}; exit ${trial.code}`,
      met: trial.wallMs < 5_000 && trial.code === 0,
    });
  } else {
    table.note('scenarios/full-trial-100.yaml is missing: no 18-month trial figure');
  }
  const suite = await timeCli(['run']);
  table.add({
    section: SECTION,
    what: 'full built-in suite (scenarios/*.yaml)',
    value: `${fixed(suite.wallMs / 1000, 2)} s`,
    beside: `target < 30 s; CPU ${fixed(suite.cpuMs / 1000, 2)} s; exit ${suite.code}${suite.code === 0 ? '' : ' (a scenario did not pass)'}${quick ? '; same in --quick' : ''}`,
    met: suite.wallMs < 30_000 && suite.code === 0,
  });
  await startupFigure(table, rounds);
  await parallelFigure(table, rounds);
  const [one] = loadavg();
  table.note(
    `load average ${fixed(one ?? 0, 1)} on this machine during the run: wall time above CPU time is time spent waiting for a core`,
  );
}
