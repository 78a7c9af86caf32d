import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { CLI_ARGS } from './run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A process a test started; `stop()` ends it and waits, so nothing outlives the test. */
export interface Child {
  readonly process: ChildProcess;
  /** Everything it wrote to stderr so far (for failure messages). */
  stderr(): string;
  stdout(): string;
  /** Resolves with the first stdout or stderr line matching `pattern`. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/**
 * Starts a process and collects its output. No sleeps anywhere: callers wait for a line the
 * process prints (its "ready" line), and a process that exits first rejects the wait.
 */
export function startChild(command: string, args: readonly string[]): Child {
  const child = spawn(command, [...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  const waiters: {
    pattern: RegExp;
    stream: 'stdout' | 'stderr' | undefined;
    resolve: (m: RegExpMatchArray) => void;
    reject: (e: Error) => void;
  }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const text = waiter.stream === undefined ? `${out.stdout}\n${out.stderr}` : out[waiter.stream];
      const match = text.match(waiter.pattern);
      if (match !== null) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    out.stdout += chunk.toString();
    check();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out.stderr += chunk.toString();
    check();
  });
  child.on('error', (err) => {
    // e.g. ENOENT: socat is not installed (CI installs it: apt-get install -y socat).
    for (const waiter of waiters.splice(0))
      waiter.reject(new Error(`cannot start ${command}: ${err.message}`));
  });
  child.on('exit', (code, signal) => {
    for (const waiter of waiters.splice(0)) {
      waiter.reject(
        new Error(
          `${command} ${args.join(' ')} exited (${code ?? signal}) before printing ${waiter.pattern}:\n${out.stdout}\n${out.stderr}`,
        ),
      );
    }
  });
  return {
    process: child,
    stderr: () => out.stderr,
    stdout: () => out.stdout,
    waitFor(pattern, stream) {
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, stream, resolve, reject });
        check();
        if (child.exitCode !== null || child.signalCode !== null) {
          reject(new Error(`${command} already exited:\n${out.stdout}\n${out.stderr}`));
        }
      });
    },
    async stop() {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `trialsim <args>` as its own process (bin/trialsim.js when dist/ is fresh: see run-cli.ts). */
export function startTrialsim(args: readonly string[]): Child {
  return startChild(process.execPath, [...CLI_ARGS, ...args]);
}

/** A linked pair of pseudo-terminals (socat): a real serial line between two processes. */
export async function startPtyPair(): Promise<{ child: Child; a: string; b: string }> {
  const child = startChild('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0']);
  await child.waitFor(/PTY is (\S+)[\s\S]*PTY is (\S+)/, 'stderr');
  const paths = [...child.stderr().matchAll(/PTY is (\S+)/g)].map((m) => m[1] as string);
  return { child, a: paths[0] as string, b: paths[1] as string };
}
