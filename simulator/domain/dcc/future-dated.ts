import type { Refusal } from './access-control.js';
import { executionTime } from './execution-time.js';

/**
 * E30 "future-dated command timed out" (DCC.md §2). trialsim's reading, UNCONFIRMED in detail:
 * the DCC refuses a future-dated command whose `executionDateTime` is not after the DCC's time
 * when it would send it on — when the User sends it (CV 1/4), and again at CV 5 if the User
 * signed the Pre-Command too late. A command that reaches the device in time is the device's to
 * carry out or fail (0x8F66 / 0x8F67, DCC.md §3): the DCC then relays and reconciles.
 */
export function futureDatedTimedOut(body: Record<string, unknown>, now: number): Refusal | undefined {
  const at = executionTime(body);
  if (at === undefined || at > now) return undefined;
  return {
    ok: false,
    code: 'E30',
    rule: 'DUIS-E30',
    reason: `future-dated command timed out: its execution date-time ${new Date(at).toISOString()} is not after the DCC's time ${new Date(now).toISOString()}`,
  };
}
