import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogueRequirement } from '../../../../../harness/evidence/requirements/requirement-catalogue.js';
import {
  requirementRows,
  statusCounts,
  statusOf,
} from '../../../../../harness/evidence/requirements/requirement-status.js';
import type { ScenarioResult, StepResult, Verdict } from '../../../../../harness/results/result-types.js';

/**
 * Aggregation of step verdicts into a requirement's status across scenarios: one failing or
 * erring citing step fails it; otherwise one passing step passes it (a scenario where its steps
 * were skipped adds nothing either way); cited but never run is "not run"; never cited is
 * "not evidenced". The order of scenarios and steps never changes the answer.
 */
const IDS = ['EV-A', 'EV-B', 'EV-C', 'EV-D'] as const;
const CATALOGUE: CatalogueRequirement[] = IDS.slice(0, 3).map((id) => ({
  id,
  text: `requirement ${id}`,
  evidences: [{ source: 'SEC', item: id }],
}));

const verdict = fc.constantFrom<Verdict>('passed', 'failed', 'error', 'skipped');
const stepArb = fc.record({ verdict, requirements: fc.subarray([...IDS]) });
const scenarioArb = fc.array(stepArb, { maxLength: 6 });
const runArb = fc.array(scenarioArb, { maxLength: 5 });

function scenarios(run: { verdict: Verdict; requirements: string[] }[][]): ScenarioResult[] {
  return run.map((steps, i) => ({
    id: `s${i}`,
    title: `scenario ${i}`,
    file: `s${i}.yaml`,
    tags: [],
    seed: 'x',
    verdict: 'passed',
    virtualStart: '2027-01-01T00:00:00.000Z',
    virtualEnd: '2027-01-01T00:00:00.000Z',
    messageCount: 0,
    timing: { realMs: 0 },
    steps: steps.map(
      (s, index): StepResult => ({
        index,
        title: `step ${index}`,
        kind: 'expect',
        requirements: s.requirements,
        verdict: s.verdict,
        virtualTime: '2027-01-01T00:00:00.000Z',
        traceRange: [0, -1],
        timing: { realMs: 0 },
      }),
    ),
  }));
}

/** The rule, stated independently of the implementation: over all citing verdicts. */
function expected(verdicts: Verdict[]): string {
  if (verdicts.length === 0) return 'not evidenced';
  if (verdicts.includes('failed') || verdicts.includes('error')) return 'failed';
  if (verdicts.includes('passed')) return 'passed';
  return 'not run';
}

describe('requirement status across scenarios', () => {
  it('a requirement passed in one scenario and skipped in another is passed, not skipped', () => {
    const rows = requirementRows(
      {
        scenarios: scenarios([
          [{ verdict: 'passed', requirements: ['EV-A'] }],
          [{ verdict: 'skipped', requirements: ['EV-A'] }],
        ]),
      },
      CATALOGUE,
    );
    expect(rows.find((r) => r.id === 'EV-A')?.status).toBe('passed');
  });

  it('every status follows the rule over all citing steps, in any order of scenarios and steps', () => {
    fc.assert(
      fc.property(runArb, fc.nat(), (run, shift) => {
        const rows = requirementRows({ scenarios: scenarios(run) }, CATALOGUE);
        for (const id of IDS) {
          const verdicts = run
            .flat()
            .filter((s) => s.requirements.includes(id))
            .map((s) => s.verdict);
          const row = rows.find((r) => r.id === id);
          if (row === undefined) {
            // Only an id outside the catalogue that no step cites is absent.
            expect(CATALOGUE.some((c) => c.id === id)).toBe(false);
            expect(verdicts).toEqual([]);
            continue;
          }
          expect(row.status).toBe(expected(verdicts));
          expect(statusOf(verdicts)).toBe(row.status);
          // Citations name exactly the scenarios and 1-based steps that cite it.
          const cites = run.flatMap((steps, i) =>
            steps.flatMap((s, j) => (s.requirements.includes(id) ? [`s${i}:${j + 1}`] : [])),
          );
          expect(row.citations.flatMap((c) => c.steps.map((n) => `${c.scenario}:${n}`)).sort()).toEqual(
            cites.sort(),
          );
          expect(row.requirement === undefined).toBe(!CATALOGUE.some((c) => c.id === id));
        }
        // Reordering scenarios (rotation) and steps (reverse) changes no status.
        const k = run.length === 0 ? 0 : shift % run.length;
        const reordered = [...run.slice(k), ...run.slice(0, k)].map((steps) => [...steps].reverse());
        const again = requirementRows({ scenarios: scenarios(reordered) }, CATALOGUE);
        const byId = (rs: typeof rows) => Object.fromEntries(rs.map((r) => [r.id, r.status]));
        expect(byId(again)).toEqual(byId(rows));
        // Counts add up to the rows, catalogue first and every catalogue id present.
        const counts = statusCounts(rows);
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(rows.length);
        expect(rows.slice(0, CATALOGUE.length).map((r) => r.id)).toEqual(CATALOGUE.map((c) => c.id));
      }),
    );
  });
});
