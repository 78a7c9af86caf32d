import { TrialsimError } from '../../simulator/errors.js';
import type { Verdict } from '../results/result-types.js';

/** trialsim's exit statuses, documented in the README and `trialsim --help`. */
export const EXIT = {
  passed: 0,
  failed: 1,
  usage: 2,
  error: 3,
  /** verify: the bundle is intact, but its signer is not a key the reviewer trusts. */
  untrusted: 4,
} as const;

export const EXIT_CODES_HELP = `
Exit status:
  0  every scenario passed (sr: the request ended in I0)
  1  a scenario failed: the system under test misbehaved (sr: it ended in another code or a device alert)
  2  wrong input: bad arguments, missing or invalid scenario file (the message gives file:line),
     no scenario selected (unless --pass-with-no-scenarios)
  3  error: the harness or its environment failed, with the cause (broker unreachable or lost, a
     party's session taken over, port in use, evidence not writable; sr: no outcome in time)
  4  verify: integrity holds, but the signer is not a key you trust (--trust, --trust-store)
  130/143  stopped by SIGINT/SIGTERM (broker, up, bridge and device stop cleanly on them and exit 0)`;

const USAGE_CODES = new Set([
  'SCENARIO_INVALID',
  'SCENARIO_NOT_FOUND',
  'NO_SCENARIOS',
  'USAGE',
  'UNKNOWN_PARTY',
  'UNKNOWN_DEVICE',
  'APPLICATION_INVALID',
  'SIGNING_KEY_INVALID',
  'EVIDENCE_TARGET_INVALID',
  'TRUST_INVALID',
  'CONFIG_INVALID',
  'PROJECT_EXISTS',
  'MERGE_REFUSED',
]);

export function exitCodeForVerdict(verdict: Verdict): number {
  if (verdict === 'passed' || verdict === 'skipped') return EXIT.passed;
  return verdict === 'failed' ? EXIT.failed : EXIT.error;
}

/**
 * One place maps faults to a message and an exit status. The message is one line a user can act
 * on: a system error (a full disk, a read-only folder) says which call on which path failed; a
 * stack trace is printed only with TRIALSIM_DEBUG set, for a fault in trialsim itself.
 */
export function exitCodeForError(err: unknown): { code: number; message: string } {
  if (err instanceof TrialsimError) {
    return { code: USAGE_CODES.has(err.code) ? EXIT.usage : EXIT.error, message: err.message };
  }
  if (!(err instanceof Error)) return { code: EXIT.error, message: `error: ${String(err)}` };
  const system = err as NodeJS.ErrnoException;
  if (typeof system.code === 'string' && typeof system.syscall === 'string') {
    const hint = SYSTEM_ERROR_HINTS[system.code];
    return {
      code: EXIT.error,
      message: `error: ${firstLine(err.message)}${hint === undefined ? '' : ` (${hint})`}`,
    };
  }
  const debug = process.env.TRIALSIM_DEBUG !== undefined && process.env.TRIALSIM_DEBUG !== '';
  return {
    code: EXIT.error,
    message: debug
      ? `internal error: ${err.stack ?? err.message}`
      : `internal error: ${firstLine(err.message)} (TRIALSIM_DEBUG=1 shows where)`,
  };
}

const SYSTEM_ERROR_HINTS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EADDRINUSE: 'port in use; use --port 0',
};

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}
