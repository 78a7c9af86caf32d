import { EXIT } from './exit-codes.js';

/**
 * Long-running commands (`broker`, `up`, `bridge`, `device`) stop on SIGINT/SIGTERM as their
 * normal end and say so themselves; while one holds the signals, the guard below leaves them be.
 */
let signalsTakenOver = 0;

/** Marks the signals as this command's to handle; call the returned function when done. */
export function takeOverSignals(): () => void {
  signalsTakenOver++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    signalsTakenOver--;
  };
}

/** 128 + the signal's number, as shells report a process a signal ended. */
export const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

export interface ProcessGuardOptions {
  /** Has the command come back with its exit status? */
  readonly finished: () => boolean;
  readonly exit: (code: number) => never;
  readonly stderr: (line: string) => void;
}

/**
 * What keeps a trialsim process from ending silently or wrongly, whatever the command does:
 *
 * - the event loop running dry while the command is still pending (a party waiting on a
 *   connection that has gone, a publish that will never be acknowledged) is a harness error,
 *   exit 3 naming that, never the 0 Node would otherwise exit with;
 * - a reader that goes away (`trialsim list | head`) ends the process quietly, not with an EPIPE
 *   stack trace;
 * - SIGINT/SIGTERM print one line and exit 130/143; the process's `exit` hooks (worker pool,
 *   embedded broker) then stop the workers and remove the Unix sockets.
 */
export function installProcessGuards(options: ProcessGuardOptions): void {
  process.on('beforeExit', () => {
    if (options.finished()) return;
    options.stderr(
      'trialsim: error: the command ended without a verdict: nothing was left running while it waited (a broker connection lost, or a party that will never answer)',
    );
    options.exit(EXIT.error);
  });
  const quietOnBrokenPipe = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') options.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    throw err;
  };
  process.stdout.on('error', quietOnBrokenPipe);
  process.stderr.on('error', quietOnBrokenPipe);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (signalsTakenOver > 0) return;
      options.stderr(`trialsim: interrupted by ${signal}; stopped`);
      options.exit(SIGNAL_EXIT[signal]);
    });
  }
}
