import type { DeviceDefect } from '../../../simulator/domain/index.js';
import type { ScenarioResult } from '../../results/result-types.js';
import type { ConformanceReport } from '../conformance-reporter.js';
import { ConformanceBench } from './conformance-run.js';
import { MUTANTS, type Mutant } from './mutant-catalogue.js';

/** What the suite did to one mutant: the first case that failed, and every requirement it failed. */
export interface MutantResult {
  readonly mutant: Mutant;
  readonly killed: boolean;
  /** Requirements of the failing steps (the first one first). */
  readonly caughtBy: readonly string[];
  /** `scenario step n: message` of the first failure. */
  readonly firstFailure?: string;
}

function failures(scenarios: readonly ScenarioResult[]): { caughtBy: string[]; first?: string } {
  const caughtBy: string[] = [];
  let first: string | undefined;
  for (const scenario of scenarios) {
    if (scenario.verdict === 'passed' || scenario.verdict === 'skipped') continue;
    first ??= `${scenario.id}: ${scenario.message ?? scenario.verdict}`;
    for (const step of scenario.steps) {
      if (step.verdict !== 'failed' && step.verdict !== 'error') continue;
      for (const r of step.requirements) if (!caughtBy.includes(r)) caughtBy.push(r);
    }
  }
  return { caughtBy, ...(first === undefined ? {} : { first }) };
}

/**
 * Runs the conformance suite against the unmodified reference device (which must pass every
 * case) and then against each mutant. `bail` stops a mutant's run at its first failing scenario
 * (enough to kill it; the full run names every requirement that catches it).
 */
export async function runMutants(options: {
  readonly files: readonly string[];
  readonly bail?: boolean;
  readonly only?: readonly DeviceDefect[];
  readonly onResult?: (result: MutantResult) => void;
}): Promise<{ reference: ScenarioResult[]; referenceReport: ConformanceReport; results: MutantResult[] }> {
  const bench = await ConformanceBench.start(options.files);
  try {
    const { results: referenceRun, report: referenceReport } = await bench.run(undefined);
    const reference = referenceRun.scenarios;
    const results: MutantResult[] = [];
    for (const mutant of MUTANTS) {
      if (options.only !== undefined && !options.only.includes(mutant.defect)) continue;
      const { results: run } = await bench.run(mutant.defect, options.bail ?? false);
      const { caughtBy, first } = failures(run.scenarios);
      const result: MutantResult = {
        mutant,
        killed: run.verdict !== 'passed',
        caughtBy,
        ...(first === undefined ? {} : { firstFailure: first }),
      };
      results.push(result);
      options.onResult?.(result);
    }
    return { reference: [...reference], referenceReport, results };
  } finally {
    await bench.stop();
  }
}
