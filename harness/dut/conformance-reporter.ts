import type { EvidenceHandOver, Reporter } from '../reporters/reporter.js';
import { overallVerdict, type RunResults, type Verdict } from '../results/result-types.js';
import { loadScenario } from '../scenario/scenario-loader.js';
import { type Credit, stepCredit } from './step-credit.js';

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
  /** Over the scenarios that apply; not-applicable ones are listed, never counted as errors. */
  readonly verdict: Verdict;
  /** Requirements the device under test itself met or not: only steps its own messages decide. */
  readonly requirements: readonly RequirementResult[];
  /** Checks made by the DCC or by simulated devices in the same scenarios: shown apart, not credited. */
  readonly checkedElsewhere: readonly (RequirementResult & {
    readonly by: Exclude<Credit, 'device' | 'none'>;
  })[];
  readonly scenarios: readonly {
    readonly id: string;
    readonly verdict: Verdict | 'notApplicable';
    readonly message?: string;
  }[];
}

/** Per scenario file, who made each step's check (step-credit.ts); steps by index. */
export type StepCredits = ReadonlyMap<string, readonly Credit[]>;

/** Reads each scenario the run used and classifies its steps' checks. */
export async function creditsFor(devices: readonly string[], results: RunResults): Promise<StepCredits> {
  const duts = new Set(devices);
  const credits = new Map<string, Credit[]>();
  for (const scenario of results.scenarios) {
    if (credits.has(scenario.file)) continue;
    try {
      const loaded = await loadScenario(scenario.file);
      credits.set(
        scenario.file,
        loaded.definition.steps.map((step) => stepCredit(step as Record<string, unknown>, duts)),
      );
    } catch {
      // A file gone since the run: its steps get no device credit.
      credits.set(scenario.file, []);
    }
  }
  return credits;
}

type Check = { scenario: string; step: number; verdict: Verdict };

function fold(map: Map<string, Check[]>): RequirementResult[] {
  return [...map]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([requirement, checkedBy]) => ({
      requirement,
      verdict: overallVerdict(checkedBy.map((c) => c.verdict)),
      checkedBy,
    }));
}

/**
 * Folds the run's step results into one verdict per requirement id (a step's `requirement:`),
 * crediting the device under test only with steps its own messages decide (`credits`; without
 * them every step counts, as before classification existed).
 */
export function conformanceReport(
  devices: readonly string[],
  results: RunResults,
  credits?: StepCredits,
): ConformanceReport {
  const own = new Map<string, Check[]>();
  const elsewhere = { dcc: new Map<string, Check[]>(), simulatedDevice: new Map<string, Check[]>() };
  for (const scenario of results.scenarios) {
    for (const step of scenario.steps) {
      const credit = credits === undefined ? 'device' : (credits.get(scenario.file)?.[step.index] ?? 'none');
      if (credit === 'none') continue;
      const target = credit === 'device' ? own : elsewhere[credit];
      for (const requirement of step.requirements) {
        const list = target.get(requirement) ?? [];
        list.push({ scenario: scenario.id, step: step.index + 1, verdict: step.verdict });
        target.set(requirement, list);
      }
    }
  }
  const applicable = results.scenarios.filter((s) => s.verdict !== 'skipped');
  return {
    devicesUnderTest: devices,
    verdict: overallVerdict(applicable.map((s) => s.verdict)),
    requirements: fold(own),
    checkedElsewhere: [
      ...fold(elsewhere.dcc).map((r) => ({ ...r, by: 'dcc' as const })),
      ...fold(elsewhere.simulatedDevice).map((r) => ({ ...r, by: 'simulatedDevice' as const })),
    ],
    scenarios: results.scenarios.map((s) => ({
      id: s.id,
      verdict: s.verdict === 'skipped' && s.message !== undefined ? 'notApplicable' : s.verdict,
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

  async onRunEnd(results: RunResults, evidence: EvidenceHandOver): Promise<void> {
    const report = conformanceReport(this.devices, results, await creditsFor(this.devices, results));
    evidence.add(CONFORMANCE_FILE, `${JSON.stringify(report, null, 2)}\n`, 'conformance');
    if (this.print === undefined) return;
    this.print(`device requirements (${this.devices.join(', ')}):`);
    for (const r of report.requirements) this.print(`  ${r.verdict.padEnd(7)} ${r.requirement}`);
    if (report.checkedElsewhere.length > 0) {
      this.print('checked by the DCC or by simulated devices (not credited to the device):');
      for (const r of report.checkedElsewhere)
        this.print(`  ${r.verdict.padEnd(7)} ${r.requirement} (${r.by})`);
    }
    for (const s of report.scenarios.filter((x) => x.verdict === 'notApplicable'))
      this.print(`  n/a     ${s.id}: ${s.message}`);
  }
}
