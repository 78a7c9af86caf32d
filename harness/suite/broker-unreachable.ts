import { TrialsimError } from '../../simulator/errors.js';

/**
 * A stack that could not reach its broker: every later scenario would wait out the same connect
 * timeout to the same end, so the suite stops there and says so once.
 */
export function isBrokerUnreachable(err: unknown): boolean {
  return err instanceof TrialsimError && err.code === 'BROKER_UNREACHABLE';
}
