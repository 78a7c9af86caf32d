import type { RunResults } from '../../results/result-types.js';
import type { ReportTraceLine } from '../trace-chain.js';
import { FlowSummary, MAX_DRAWN_DEVICES } from './message-flow-summary.js';
import { MAX_DIAGRAM_MESSAGES } from './sequence-diagram.js';

/** What report.html draws from one scenario's messages. */
export interface ScenarioReportTrace {
  readonly count: number;
  /** The first MAX_DIAGRAM_MESSAGES lines: all a sequence diagram shows. */
  readonly first: readonly ReportTraceLine[];
  /** Each EUI's name as the trace gives it. */
  readonly names: ReadonlyMap<string, string>;
  /** For a scenario of more than MAX_DRAWN_DEVICES devices, drawn as a table instead of a diagram. */
  readonly flow: FlowSummary | undefined;
}

/**
 * What report.html needs of the trace, gathered one line at a time as trace.jsonl is written
 * (bundle-trace-file.ts) or read: a count, the first lines, the names and the flow summary per
 * scenario. Keeping every line for the report instead made writing a 10,000-device trial's
 * bundle take more memory than running it.
 */
export class ReportTrace {
  private readonly scenarios = new Map<
    string,
    { count: number; first: ReportTraceLine[]; names: Map<string, string>; flow: FlowSummary | undefined }
  >();

  constructor(private readonly results: Pick<RunResults, 'scenarios'>) {}

  /** The report's trace from lines already in hand (`trialsim report`, tests). */
  static of(results: Pick<RunResults, 'scenarios'>, lines: Iterable<ReportTraceLine>): ReportTrace {
    const trace = new ReportTrace(results);
    for (const line of lines) trace.add(line);
    return trace;
  }

  add(line: ReportTraceLine): void {
    let scenario = this.scenarios.get(line.scenario);
    if (scenario === undefined) {
      const devices = this.results.scenarios.find((s) => s.id === line.scenario)?.devices ?? [];
      scenario = {
        count: 0,
        first: [],
        names: new Map(),
        flow: devices.length > MAX_DRAWN_DEVICES ? new FlowSummary(devices) : undefined,
      };
      this.scenarios.set(line.scenario, scenario);
    }
    scenario.count++;
    if (scenario.first.length < MAX_DIAGRAM_MESSAGES) scenario.first.push(line);
    scenario.names.set(line.from, line.fromName);
    scenario.names.set(line.to, line.toName);
    scenario.flow?.add(line);
  }

  of(scenario: string): ScenarioReportTrace {
    return this.scenarios.get(scenario) ?? { count: 0, first: [], names: new Map(), flow: undefined };
  }
}
