import type { SimStack } from '../stack/sim-stack.js';

/** Requests recorded one by one; past this many only counted (a fleet cut off by a fault). */
const RECORDED = 20;

/**
 * Every service request ends in a recorded outcome: one still waiting when its scenario ends (a
 * device that never answered before the last step, a run cut short by a fault) goes in the trace
 * as such, with the responses it had, instead of simply vanishing with the stack. Recorded, not
 * judged: whether a scenario may end with a request open is for its own checks to say.
 */
export function recordOutstandingRequests(stack: SimStack): number {
  const at = stack.clock.now();
  let count = 0;
  for (const agent of stack.users.values()) {
    for (const open of agent.outstandingRequests()) {
      count++;
      if (count > RECORDED) continue;
      const so = open.responseCodes.length === 0 ? 'no response' : `only ${open.responseCodes.join(', ')}`;
      stack.trace.add({
        at,
        from: agent.name,
        to: 'harness',
        kind: 'notice',
        summary: `${open.requestId} (SRV ${open.srv}) had no outcome when the scenario ended (${so})`,
        detail: { srWithoutOutcome: open },
      });
    }
  }
  if (count > RECORDED)
    stack.trace.add({
      at,
      from: 'harness',
      to: 'harness',
      kind: 'notice',
      summary: `${count} service requests had no outcome when the scenario ended; the first ${RECORDED} are listed, ${count - RECORDED} more only counted`,
      detail: { srsWithoutOutcome: count },
    });
  return count;
}
