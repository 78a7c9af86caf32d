import type { EvidenceHandOver, Reporter } from '../reporters/reporter.js';
import { overallVerdict, type RunResults, type Verdict } from '../results/result-types.js';

/** One device requirement's result across the conformance suite. */
export interface RequirementResult {
  readonly requirement: string;
  readonly verdict: Verdict;
  /** `scenario#step` of every step that checks it, with that step's verdict. */
  readonly checkedBy: readonly {
    readonly scenario: string;
    readonly step: number;
    readonly verdict: Verdict;
  }[];
}

export interface ConformanceReport {
  readonly devicesUnderTest: readonly string[];
  readonly verdict: Verdict;
  readonly requirements: readonly RequirementResult[];
  /** Scenarios that ended before any requirement was checked (e.g. the device never answered). */
  readonly scenarios: readonly {
    readonly id: string;
    readonly verdict: Verdict;
    readonly message?: string;
  }[];
}

/** Folds the run's step results into one verdict per requirement id (a step's `requirement:`). */
export function conformanceReport(devices: readonly string[], results: RunResults): ConformanceReport {
  const byRequirement = new Map<string, { scenario: string; step: number; verdict: Verdict }[]>();
  for (const scenario of results.scenarios) {
    for (const step of scenario.steps) {
      for (const requirement of step.requirements) {
        const list = byRequirement.get(requirement) ?? [];
        list.push({ scenario: scenario.id, step: step.index + 1, verdict: step.verdict });
        byRequirement.set(requirement, list);
      }
    }
  }
  const requirements = [...byRequirement]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([requirement, checkedBy]) => ({
      requirement,
      verdict: overallVerdict(checkedBy.map((c) => c.verdict)),
      checkedBy,
    }));
  return {
    devicesUnderTest: devices,
    verdict: results.verdict,
    requirements,
    scenarios: results.scenarios.map((s) => ({
      id: s.id,
      verdict: s.verdict,
      ...(s.message === undefined ? {} : { message: s.message }),
    })),
  };
}

export const CONFORMANCE_FILE = 'conformance.json';

/** `--dut` runs: hands conformance.json to the evidence bundle and prints one line per requirement. */
export class ConformanceReporter implements Reporter {
  constructor(
    private readonly devices: readonly string[],
    private readonly print: ((line: string) => void) | undefined,
  ) {}

  onRunEnd(results: RunResults, evidence: EvidenceHandOver): void {
    const report = conformanceReport(this.devices, results);
    evidence.add(CONFORMANCE_FILE, `${JSON.stringify(report, null, 2)}\n`, 'conformance');
    if (this.print === undefined) return;
    this.print(`device requirements (${this.devices.join(', ')}):`);
    for (const r of report.requirements) this.print(`  ${r.verdict.padEnd(7)} ${r.requirement}`);
  }
}
