import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../harness/package-root.js';
import { type FigureTable, fixed } from './figure-table.js';

export interface CliTiming {
  readonly code: number;
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Runs `trialsim <args> --out <tmp>` in a child process; wall time as a user sees it. */
export async function timeCli(args: readonly string[]): Promise<CliTiming> {
  const dir = await mkdtemp(join(tmpdir(), 'trialsim-bench-'));
  const result = join(dir, 'timing.json');
  const script = fileURLToPath(new URL('./timed-cli-child.js', import.meta.url));
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [script, result, ...args, '--out', join(dir, 'evidence')], {
      cwd: PACKAGE_ROOT,
      stdio: 'ignore',
    });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  const wallMs = performance.now() - started;
  try {
    const { code, cpuMs } = JSON.parse(await readFile(result, 'utf8')) as { code: number; cpuMs: number };
    return { code, wallMs, cpuMs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const SECTION = '3. Wall time (trialsim run, a child process, as a user runs it)';

export async function wallTimeSection(table: FigureTable, quick: boolean): Promise<void> {
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
  const [one] = loadavg();
  table.note(
    `load average ${fixed(one ?? 0, 1)} on this machine during the run: wall time above CPU time is time spent waiting for a core`,
  );
}
