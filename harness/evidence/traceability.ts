import type { RunResults, Verdict } from '../results/result-types.js';

/** One row of the requirement traceability matrix: requirement → scenarios → verdict. */
export interface RequirementRow {
  readonly requirement: string;
  readonly verdict: Verdict;
  readonly scenarios: readonly {
    readonly id: string;
    readonly title: string;
    readonly verdict: Verdict;
    /** 1-based step numbers that cite the requirement. */
    readonly steps: readonly number[];
  }[];
}

/**
 * Worst first. Unlike a run's verdict, a skipped step counts against a requirement: a
 * requirement is only evidenced when every step that cites it ran and passed.
 */
const RANK: Readonly<Record<Verdict, number>> = { error: 3, failed: 2, skipped: 1, passed: 0 };

function worst(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((w, v) => (RANK[v] > RANK[w] ? v : w), 'passed');
}

export function traceabilityMatrix(results: RunResults): RequirementRow[] {
  const rows = new Map<string, Map<string, { title: string; verdicts: Verdict[]; steps: number[] }>>();
  for (const scenario of results.scenarios) {
    for (const step of scenario.steps) {
      for (const requirement of step.requirements) {
        const byScenario = rows.get(requirement) ?? new Map();
        rows.set(requirement, byScenario);
        const cell = byScenario.get(scenario.id) ?? { title: scenario.title, verdicts: [], steps: [] };
        byScenario.set(scenario.id, cell);
        cell.verdicts.push(step.verdict);
        cell.steps.push(step.index + 1);
      }
    }
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([requirement, byScenario]) => {
      const scenarios = [...byScenario.entries()].map(([id, cell]) => ({
        id,
        title: cell.title,
        verdict: worst(cell.verdicts),
        steps: cell.steps,
      }));
      return { requirement, verdict: worst(scenarios.map((s) => s.verdict)), scenarios };
    });
}
