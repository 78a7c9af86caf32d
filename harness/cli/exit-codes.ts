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
  2  wrong input: bad arguments, missing or invalid scenario file (the message gives file:line)
  3  error: the harness or its environment failed (e.g. broker unreachable; sr: no outcome in time)
  4  verify: integrity holds, but the signer is not a key you trust (--trust, --trust-store)`;

const USAGE_CODES = new Set([
  'SCENARIO_INVALID',
  'SCENARIO_NOT_FOUND',
  'USAGE',
  'UNKNOWN_PARTY',
  'UNKNOWN_DEVICE',
  'APPLICATION_INVALID',
  'SIGNING_KEY_INVALID',
  'EVIDENCE_TARGET_INVALID',
  'TRUST_INVALID',
]);

export function exitCodeForVerdict(verdict: Verdict): number {
  if (verdict === 'passed' || verdict === 'skipped') return EXIT.passed;
  return verdict === 'failed' ? EXIT.failed : EXIT.error;
}

/** One place maps faults to a message and an exit status. */
export function exitCodeForError(err: unknown): { code: number; message: string } {
  if (err instanceof TrialsimError) {
    return { code: USAGE_CODES.has(err.code) ? EXIT.usage : EXIT.error, message: err.message };
  }
  return { code: EXIT.error, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}
