import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../harness/package-root.js';
import { type RunningMosquitto, startMosquitto } from '../support/mosquitto.js';
import { CLI_ARGS } from '../support/run-cli.js';

/**
 * The CLI as a user (or CI) meets its faults: each ends with the documented exit status, at once
 * and with one line naming the cause. Every bound is the test's vitest timeout; nothing sleeps.
 */
interface Cli {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once stdout or stderr has matched. */
  waitFor(pattern: RegExp): Promise<void>;
}

const running: Cli[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cli of running.splice(0)) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
  for (const clean of cleanups.splice(0)) await clean();
});

function cli(args: readonly string[], env: Record<string, string> = {}): Cli {
  const child = spawn(process.execPath, [...CLI_ARGS, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  const result: Cli = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
    waitFor(pattern) {
      if (pattern.test(result.stdout) || pattern.test(result.stderr)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
  const check = () => {
    for (const w of [...waiters]) {
      if (w.pattern.test(result.stdout) || w.pattern.test(result.stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    result.stdout += chunk.toString();
    check();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    result.stderr += chunk.toString();
    check();
  });
  running.push(result);
  return result;
}

async function busyPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

async function freshDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const noStackTrace = /\n\s+at |node:internal/;
/** The console reporter's line for one finished scenario ("[1/27] PASS  bad-signature — …"), not the summary. */
const scenarioEnded = /^\[\d+\/\d+\] (PASS|FAIL|ERROR)\b/m;

describe('broker and up exit at once when they cannot listen', () => {
  for (const command of ['broker', 'up']) {
    it(`${command} on a port in use exits 3 with "port in use; use --port 0"`, {
      timeout: 20_000,
    }, async () => {
      const port = await busyPort();
      const dir = await freshDir('trialsim-up-');
      const run = cli(
        command === 'up' ? ['up', '--port', String(port), '--dir', dir] : ['broker', '--port', String(port)],
      );
      const { code } = await run.exited;
      expect(code).toBe(3);
      expect(run.stderr).toMatch(
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: port in use; use --port 0`),
      );
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});

describe('output to a reader that goes away', () => {
  it('EPIPE - `trialsim list | head -1` ends quietly, without a stack trace', {
    timeout: 20_000,
  }, async () => {
    const run = cli(['list']);
    await run.waitFor(/\n/);
    run.child.stdout?.destroy();
    const { code } = await run.exited;
    expect(run.stderr).not.toMatch(/EPIPE|Error/);
    expect(code).toBe(0);
  });
});

describe('SIGINT and SIGTERM stop a run with its workers', () => {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} during run --parallel 2: one line, exit ${status}, workers gone, no Unix socket left`, {
      timeout: 60_000,
    }, async () => {
      const temp = await freshDir('trialsim-signal-');
      const out = join(temp, 'evidence');
      const run = cli(['run', '--parallel', '2', '--out', out, '--no-progress'], { TMPDIR: temp });
      // A scenario has ended: both workers are up, one of them mid-scenario with its broker.
      await run.waitFor(scenarioEnded);
      run.child.kill(signal);
      const { code } = await run.exited;
      expect(code).toBe(status);
      expect(
        run.stderr
          .trim()
          .split('\n')
          .filter((line) => line.startsWith('trialsim:')),
      ).toEqual([`trialsim: interrupted by ${signal}; stopped`]);
      expect(run.stderr).not.toMatch(noStackTrace);
      expect(run.stderr).not.toMatch(/ERR_IPC|EPIPE/);
      // The workers' exit hooks remove their sockets; give them the moment they need to run.
      const leftovers = async () => (await readdir(temp)).filter((f) => f.endsWith('.sock'));
      for (let tries = 0; tries < 200 && (await leftovers()).length > 0; tries++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      expect(await leftovers()).toEqual([]);
    });
  }
});

describe('a worker lost mid-run', () => {
  const procChildren = (pid: number) => `/proc/${pid}/task/${pid}/children`;
  it.skipIf(!existsSync(procChildren(process.pid)))(
    'worker processes killed (SIGKILL) during run --parallel 2: their scenarios end as errors naming the lost worker, the rest not run, exit 3',
    { timeout: 90_000 },
    async () => {
      const temp = await freshDir('trialsim-worker-lost-');
      const run = cli(['run', '--parallel', '2', '--out', join(temp, 'evidence'), '--no-progress']);
      await run.waitFor(scenarioEnded);
      const pid = run.child.pid as number;
      const workers = (await readFile(procChildren(pid), 'utf8')).trim().split(/\s+/).filter(Boolean);
      expect(workers.length).toBeGreaterThan(0);
      for (const worker of workers) process.kill(Number(worker), 'SIGKILL');
      const { code } = await run.exited;
      expect(code).toBe(3);
      expect(run.stdout).toMatch(/scenario worker exited \(SIGKILL\) mid-run/);
      expect(run.stdout).toMatch(/not run: every scenario worker had exited/);
      expect(run.stdout).toMatch(/^ERROR: \d+ passed/m);
      expect(run.stderr).not.toMatch(noStackTrace);
    },
  );
});

describe('a run against an external broker that dies mid-run', () => {
  const hasMosquitto = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].some((p) => existsSync(p));
  let mosquitto: RunningMosquitto | undefined;
  afterEach(async () => {
    await mosquitto?.stop();
    mosquitto = undefined;
  });

  it.skipIf(!hasMosquitto)(
    'mosquitto killed after the first scenario: exit 3 naming the broker, never 0, and the suite stops there',
    { timeout: 90_000 },
    async () => {
      mosquitto = await startMosquitto();
      const temp = await freshDir('trialsim-mosquitto-run-');
      const run = cli(['run', '--broker', mosquitto.url, '--out', join(temp, 'evidence'), '--no-progress']);
      await run.waitFor(scenarioEnded);
      await mosquitto.kill();
      const { code } = await run.exited;
      expect(code).toBe(3);
      expect(run.stdout).toMatch(/broker closed its connection|cannot connect to the MQTT broker/);
      expect(run.stdout).toMatch(/not run: the broker is unreachable/);
      expect(run.stdout).toMatch(/^ERROR: \d+ passed/m);
      // Run without --seed: the output and the report say the seed is public, and how to set one.
      expect(run.stdout).toMatch(
        /^seed: the public default seed "trialsim": .*set a private one with --seed <secret>$/m,
      );
      expect(run.stderr).not.toMatch(noStackTrace);
      expect(run.stderr).not.toMatch(/Warning|Unhandled/);
      // The evidence is this run's, and says it ended in errors (never a PASS left over).
      const results = JSON.parse(await readFile(join(temp, 'evidence', 'results.json'), 'utf8')) as {
        summary: { passed: number; error: number };
      };
      expect(results.summary.error).toBeGreaterThan(0);
      expect(run.stdout).toMatch(new RegExp(`^ERROR: ${results.summary.passed} passed`, 'm'));
      const report = await readFile(join(temp, 'evidence', 'report.html'), 'utf8');
      expect(report).toContain(
        'the public default seed &quot;trialsim&quot;: anyone can derive this run&apos;s broker passwords and keys; set a private one with --seed &lt;secret&gt;',
      );
    },
  );
});

describe('a disk that fills up during the run', () => {
  // A 64 KiB tmpfs: writable when the run starts (so the before-the-run check passes), full
  // long before the evidence is written. Needs root for mount, as in CI's container.
  const canMount = process.getuid?.() === 0 && existsSync('/proc/filesystems');
  let mountPoint: string | undefined;
  afterEach(async () => {
    if (mountPoint === undefined) return;
    await new Promise<void>((resolve) => {
      const umount = spawn('umount', ['-l', mountPoint as string]);
      umount.once('exit', () => resolve());
    });
    mountPoint = undefined;
  });

  it.skipIf(!canMount)(
    'ENOSPC - evidence that cannot be written ends in one line naming the full disk, exit 3',
    { timeout: 60_000 },
    async () => {
      const dir = await freshDir('trialsim-full-');
      const mnt = join(dir, 'mnt');
      await mkdir(mnt);
      const mounted = await new Promise<number | null>((resolve) => {
        const mount = spawn('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
        mount.once('exit', (code) => resolve(code));
      });
      expect(mounted, 'mount -t tmpfs failed').toBe(0);
      mountPoint = mnt;
      const run = cli([
        'run',
        join('scenarios', 'commissioning.yaml'),
        '--out',
        join(mnt, 'evidence'),
        '--no-progress',
      ]);
      const { code } = await run.exited;
      expect(code).toBe(3);
      expect(run.stderr).toMatch(/no space left on device|disk is full/i);
      expect(run.stderr).not.toMatch(noStackTrace);
    },
  );

  it.skipIf(!canMount)(
    '--json on a full disk still prints the results on stdout before exit 3 for the bundle',
    { timeout: 60_000 },
    async () => {
      const dir = await freshDir('trialsim-full-json-');
      const mnt = join(dir, 'mnt');
      await mkdir(mnt);
      const mounted = await new Promise<number | null>((resolve) => {
        const mount = spawn('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
        mount.once('exit', (code) => resolve(code));
      });
      expect(mounted, 'mount -t tmpfs failed').toBe(0);
      mountPoint = mnt;
      const run = cli([
        'run',
        join('scenarios', 'commissioning.yaml'),
        '--out',
        join(mnt, 'evidence'),
        '--json',
      ]);
      const { code } = await run.exited;
      expect(code).toBe(3);
      expect(run.stderr).toMatch(/no space left on device|disk is full/i);
      const results = JSON.parse(run.stdout) as { verdict: string; scenarios: { id: string }[] };
      expect(results.verdict).toBe('passed');
      expect(results.scenarios.map((s) => s.id)).toEqual(['commissioning']);
    },
  );
});

describe('a command that ends without a verdict', () => {
  it('exit 3, never 0, when the event loop runs dry while the command is still pending', {
    timeout: 20_000,
  }, async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join('test', 'e2e', 'scripts', 'pending-forever.ts')],
      { cwd: PACKAGE_ROOT },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(3);
    expect(stderr).toMatch(/ended without a verdict/);
  });
});
