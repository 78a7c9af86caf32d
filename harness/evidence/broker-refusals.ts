import type { RunResults } from '../results/result-types.js';
import type { RecordedRefusal } from '../results/scenario-evidence-types.js';

export interface RefusalTotals {
  /** Refusals in all, over every scenario on the embedded broker. */
  readonly total: number;
  /** Summed over the scenarios, by rule, sorted by rule. */
  readonly byRule: readonly (readonly [string, number])[];
  /** Scenarios with at least one refusal, with their own counts and first refusals. */
  readonly scenarios: readonly {
    readonly id: string;
    readonly total: number;
    readonly first: readonly RecordedRefusal[];
  }[];
  /** False when no scenario ran on the embedded broker: nothing was watched. */
  readonly watched: boolean;
}

/** What the embedded broker refused over the run, summed from each scenario's environment. */
export function refusalTotals(results: RunResults): RefusalTotals {
  const byRule = new Map<string, number>();
  const scenarios: { id: string; total: number; first: readonly RecordedRefusal[] }[] = [];
  let total = 0;
  let watched = false;
  for (const s of results.scenarios) {
    const refusals = s.environment?.brokerRefusals;
    if (refusals === undefined) continue;
    watched = true;
    total += refusals.total;
    for (const [rule, n] of Object.entries(refusals.byRule)) byRule.set(rule, (byRule.get(rule) ?? 0) + n);
    if (refusals.total > 0) scenarios.push({ id: s.id, total: refusals.total, first: refusals.first });
  }
  return { total, byRule: [...byRule].sort(([a], [b]) => a.localeCompare(b)), scenarios, watched };
}

/** One refusal in words: a refused login is an unauthenticated client, its user name a claim. */
export function refusalWords(r: RecordedRefusal): string {
  const who =
    r.claimedUsername === undefined
      ? r.principal
      : `unauthenticated client claiming user name ${r.claimedUsername}`;
  return `${r.action} by ${who}${r.topic === undefined ? '' : ` on ${r.topic}`}: ${r.reason}`;
}

/** The by-rule counts in one line: "BROKER-AUTH 400, BROKER-ACL-PUBLISH 2". */
export function byRuleText(totals: RefusalTotals): string {
  return totals.byRule.map(([rule, n]) => `${rule} ${n}`).join(', ');
}
