import { dnoNotification } from '../../simulator/domain/reports/dno-notification.js';
import { oprReport } from '../../simulator/domain/reports/opr-report.js';
import { sscTrialReport } from '../../simulator/domain/reports/ssc-trial-report.js';
import type { ScenarioReports, SmiTimeline } from '../results/scenario-evidence-types.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import { DCC_EUI, DEFAULT_PARTIES } from '../stack/parties.js';
import type { SimStack } from '../stack/sim-stack.js';
import { smiTimeline } from './smi-timeline.js';
import { oprFigures, trialFigures } from './trial-figures.js';

export interface ScenarioEvidence {
  readonly reports: ScenarioReports;
  readonly timeline: SmiTimeline;
  readonly trace: ScenarioTrace;
}

/**
 * What the evidence needs from a finished scenario's stack: the report figures and the SMI
 * timeline as of the virtual end, and the message trace with names for the EUIs in it.
 */
export function captureScenarioEvidence(stack: SimStack, scenario: string, start: number): ScenarioEvidence {
  const state = stack.dcc.view;
  const asOf = stack.clock.now();
  const names: Record<string, string> = { DCC: 'DCC', [DCC_EUI]: 'DCC' };
  for (const party of DEFAULT_PARTIES) names[party.eui] = party.name;
  const deviceNames = new Map<string, string>();
  for (const spec of stack.deviceSpecs.values()) {
    names[spec.eui] = spec.id;
    deviceNames.set(spec.eui, spec.id);
  }
  const partyName = (eui: string) => names[eui] ?? eui;
  return {
    reports: {
      asOf: new Date(asOf).toISOString(),
      sscTrialReport: sscTrialReport(state, asOf),
      oprReport: oprReport(state, asOf),
      dnoNotification: dnoNotification(state, asOf),
      trialFigures: trialFigures(state, asOf, partyName),
      oprFigures: oprFigures(state),
    },
    timeline: smiTimeline(state, { start, end: asOf }, deviceNames),
    trace: { scenario, entries: [...stack.trace.all()], names },
  };
}
