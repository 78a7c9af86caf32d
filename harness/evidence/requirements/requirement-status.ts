import type { RunResults, Verdict } from '../../results/result-types.js';
import { type CatalogueRequirement, REQUIREMENT_CATALOGUE } from './requirement-catalogue.js';

/**
 * A requirement's standing in one run, across every scenario step that cites it:
 *
 * - `failed`: some citing step failed or erred — one counter-example is enough;
 * - `passed`: none failed and at least one ran and passed (passed in one scenario and not run in
 *   another is passed: the other adds no evidence either way);
 * - `not run`: steps cite it, but none of them ran (skipped after an earlier failure, `--bail`);
 * - `not evidenced`: in the catalogue, but no step of this run cites it.
 */
export type RequirementStatus = 'passed' | 'failed' | 'not run' | 'not evidenced';

export interface RequirementCitation {
  readonly scenario: string;
  readonly title: string;
  /** 1-based step numbers that cite the requirement, with the worst of their verdicts. */
  readonly steps: readonly number[];
  readonly verdict: Verdict;
}

export interface RequirementRow {
  readonly id: string;
  /** Undefined for an id a scenario cites that the catalogue does not hold. */
  readonly requirement: CatalogueRequirement | undefined;
  readonly status: RequirementStatus;
  readonly citations: readonly RequirementCitation[];
}

const RANK: Readonly<Record<Verdict, number>> = { error: 3, failed: 2, skipped: 1, passed: 0 };

/** The standing of a requirement from the verdicts of the steps that cite it. */
export function statusOf(verdicts: readonly Verdict[]): RequirementStatus {
  if (verdicts.length === 0) return 'not evidenced';
  if (verdicts.some((v) => v === 'failed' || v === 'error')) return 'failed';
  if (verdicts.includes('passed')) return 'passed';
  return 'not run';
}

/** Every catalogue requirement in catalogue order, then any cited id the catalogue lacks. */
export function requirementRows(
  results: Pick<RunResults, 'scenarios'>,
  catalogue: readonly CatalogueRequirement[] = REQUIREMENT_CATALOGUE,
): RequirementRow[] {
  const cited = new Map<string, Map<string, { title: string; steps: number[]; verdicts: Verdict[] }>>();
  for (const scenario of results.scenarios) {
    for (const step of scenario.steps) {
      for (const id of step.requirements) {
        const byScenario = cited.get(id) ?? new Map();
        cited.set(id, byScenario);
        const cell = byScenario.get(scenario.id) ?? { title: scenario.title, steps: [], verdicts: [] };
        byScenario.set(scenario.id, cell);
        cell.steps.push(step.index + 1);
        cell.verdicts.push(step.verdict);
      }
    }
  }
  const row = (id: string, requirement: CatalogueRequirement | undefined): RequirementRow => {
    const citations = [...(cited.get(id) ?? new Map()).entries()].map(([scenario, cell]) => ({
      scenario,
      title: cell.title,
      steps: cell.steps,
      verdict: cell.verdicts.reduce((w: Verdict, v: Verdict) => (RANK[v] > RANK[w] ? v : w), 'passed'),
    }));
    const verdicts = [...(cited.get(id)?.values() ?? [])].flatMap((c) => c.verdicts);
    return { id, requirement, status: statusOf(verdicts), citations };
  };
  const known = new Set(catalogue.map((r) => r.id));
  return [
    ...catalogue.map((r) => row(r.id, r)),
    ...[...cited.keys()]
      .filter((id) => !known.has(id))
      .sort()
      .map((id) => row(id, undefined)),
  ];
}

export function statusCounts(rows: readonly RequirementRow[]): Record<RequirementStatus, number> {
  const counts: Record<RequirementStatus, number> = {
    passed: 0,
    failed: 0,
    'not run': 0,
    'not evidenced': 0,
  };
  for (const r of rows) counts[r.status]++;
  return counts;
}
