import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { PACKAGE_ROOT } from '../../harness/package-root.js';

/** The CLI as a user runs it: a separate node process on the TypeScript entry point (through tsx). */
export const CLI_ARGS = ['--import', 'tsx', 'harness/cli/trialsim.ts'];

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function trialsim(args: readonly string[], timeoutMs = 240_000): CliRun {
  const result = spawnSync(process.execPath, [...CLI_ARGS, ...args], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function trialsimAsync(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [...CLI_ARGS, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, NO_COLOR: '1' },
  });
}
