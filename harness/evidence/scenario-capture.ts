import { dnoNotification, oprReport, sscTrialReport } from '../../simulator/domain/index.js';
import type {
  ScenarioEnvironment,
  ScenarioReports,
  SmiTimeline,
  TestedDevice,
} from '../results/scenario-evidence-types.js';
import type { ScenarioTrace } from '../results/scenario-trace.js';
import { DCC_EUI, DEFAULT_PARTIES } from '../stack/parties.js';
import type { SimStack } from '../stack/sim-stack.js';
import { externalBroker } from './external-broker.js';
import { smiTimeline } from './smi-timeline.js';
import { oprFigures, trialFigures } from './trial-figures.js';
import { deviceMessagesOf, deviceWireText, userInterfacesOf, userInterfaceText } from './wire-statement.js';

export interface ScenarioEvidence {
  readonly reports: ScenarioReports;
  readonly timeline: SmiTimeline;
  readonly trace: ScenarioTrace;
  readonly devices: readonly TestedDevice[];
  readonly environment: ScenarioEnvironment;
}

/** A broker URL as the evidence may show it: never a username or password it carried. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

function testedDevices(
  stack: SimStack,
  state: { readonly trialOf: (eui: string) => string | undefined },
): TestedDevice[] {
  const out: TestedDevice[] = [];
  for (const spec of stack.deviceSpecs.values()) {
    const simulated = stack.devices.has(spec.id);
    let now: { firmwareVersion?: string; firmware?: { runningImageHash?: string | undefined } } | undefined;
    try {
      now = stack.deviceState(spec.id);
    } catch {
      // A device under test that never attached: its declared start state is all the evidence knows.
    }
    const trialId = state.trialOf(spec.eui);
    // A device under test: the image it showed, or the operator declared (never the simulation's).
    const image = simulated ? undefined : stack.externalDevice(spec.id)?.firmwareImage;
    const hash = simulated ? now?.firmware?.runningImageHash : image?.hash;
    out.push({
      id: spec.id,
      eui: spec.eui,
      deviceType: spec.deviceType,
      role: simulated ? 'simulated' : 'device under test',
      manufacturer: spec.manufacturer,
      model: spec.model,
      hardwareVersion: spec.hardwareVersion,
      firmwareVersion: spec.firmwareVersion,
      ...(now?.firmwareVersion !== undefined && now.firmwareVersion !== spec.firmwareVersion
        ? { firmwareVersionAtEnd: now.firmwareVersion }
        : {}),
      ...(hash === undefined ? {} : { firmwareImageHash: hash }),
      ...(image === undefined ? {} : { firmwareImageHashFrom: image.from }),
      ...(trialId === undefined ? {} : { trialId }),
    });
  }
  return out;
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
  const timeline = smiTimeline(state, { start, end: asOf }, deviceNames);
  // The trace itself, not a copy of its entries: a large run's are read back from its spill.
  const entries = stack.trace;
  const deviceMessages = deviceMessagesOf(entries);
  const users = userInterfacesOf(entries, partyName);
  return {
    reports: {
      asOf: new Date(asOf).toISOString(),
      sscTrialReport: sscTrialReport(state, asOf),
      oprReport: oprReport(state, asOf),
      dnoNotification: dnoNotification(state, asOf),
      trialFigures: trialFigures(state, asOf, partyName),
      oprFigures: oprFigures(state),
    },
    timeline,
    trace: { scenario, entries, names },
    devices: testedDevices(stack, {
      trialOf: (eui) => timeline.devices.find((d) => d.eui === eui)?.trialId,
    }),
    environment: {
      broker:
        stack.brokerClientCount === undefined
          ? externalBroker(withoutCredentials(stack.brokerUrl), stack.brokerUrl, stack.brokerProbe)
          : { kind: 'embedded' },
      ...(stack.brokerRefusals === undefined ? {} : { brokerRefusals: stack.brokerRefusals }),
      ...(stack.deviceConnection === 'shared' ? { deviceConnection: 'shared' as const } : {}),
      deviceWire: deviceWireText(deviceMessages),
      userInterface: userInterfaceText(users),
      deviceMessages,
      users,
    },
  };
}
