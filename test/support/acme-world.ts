import type { DeviceSpec } from '../../harness/stack/device-spec.js';
import { partyByName } from '../../harness/stack/parties.js';
import { SimStack } from '../../harness/stack/sim-stack.js';
import { approveTrial } from '../../simulator/domain/dcc/trial-administration.js';
import { parseEui } from '../../simulator/domain/eui.js';
import { DEFAULT_TRIAL_POLICY, type TrialPolicy } from '../../simulator/domain/trial/trial.js';
import type { FinalOutcome } from '../../simulator/parties/dcc-user-agent.js';

/**
 * The world most integration tests start from, matching fixtures/cpl/default-cpl.yaml: Acme's
 * comms hub (preinstalled), its trial ESMEs (model ACME-E-TRIAL, Trial CPA reference
 * TRIAL-SSC-0001) and its CPA-certified ESME, with trial T-0001 sponsored by supplier-a.
 */
export const START = Date.parse('2027-01-04T09:00:00Z');

export const CHF: DeviceSpec = {
  id: 'chf1',
  eui: parseEui('00-12-4B-00-00-00-00-01'),
  deviceType: 'CHF',
  manufacturer: 'Acme Meters Ltd',
  model: 'ACME-CH-2',
  hardwareVersion: '2.0',
  firmwareVersion: '4.1.0',
  supplier: 'supplier-a',
  networkOperator: 'network-operator',
  chf: undefined,
  preinstalled: true,
};

/** Trial ESME number n (EUI 00-12-4B-00-00-00-01-nn) on chf1. */
export function esme(n: number, options: { preinstalled?: boolean; supplier?: string } = {}): DeviceSpec {
  return {
    ...CHF,
    id: `esme${n}`,
    eui: parseEui(`00-12-4B-00-00-00-01-${n.toString(16).padStart(2, '0')}`),
    deviceType: 'ESME',
    model: 'ACME-E-TRIAL',
    hardwareVersion: '1.0',
    firmwareVersion: '0.9.0',
    chf: 'chf1',
    preinstalled: options.preinstalled ?? false,
    supplier: options.supplier ?? 'supplier-a',
  };
}

export const ACME_CPL = [
  { ...CHF, cpaCertificateReference: 'CPA-2024-0117', status: 'Active' as const, imageHash: undefined },
  {
    ...esme(1),
    model: 'ACME-E-100',
    hardwareVersion: '3.0',
    firmwareVersion: '3.2.0',
    cpaCertificateReference: 'CPA-2023-0042',
    status: 'Active' as const,
    imageHash: undefined,
  },
  { ...esme(1), cpaCertificateReference: 'TRIAL-SSC-0001', status: 'Active' as const, imageHash: undefined },
];

/** A trial as the SSC approves it: Acme's T-0001 (Trial CPA reference TRIAL-SSC-0001) unless told otherwise. */
export interface TrialApproval {
  readonly trialId: string;
  readonly cpaCertificateReference: string;
  readonly manufacturer: string;
  readonly deviceType: DeviceSpec['deviceType'];
  readonly sponsor: string;
}

export const ACME_TRIAL: TrialApproval = {
  trialId: 'T-0001',
  cpaCertificateReference: 'TRIAL-SSC-0001',
  manufacturer: 'Acme Meters Ltd',
  deviceType: 'ESME',
  sponsor: 'supplier-a',
};

/** Approves `trial` on a running stack from `start`, as the SSC does: every world builder goes through here. */
export async function approveTrialOn(
  stack: SimStack,
  start: number,
  trial: TrialApproval = ACME_TRIAL,
  policy: Partial<TrialPolicy> = {},
): Promise<void> {
  const approved = approveTrial(stack.dcc.core.state, {
    ...trial,
    sponsor: partyByName(trial.sponsor).eui,
    start,
    policy: { ...DEFAULT_TRIAL_POLICY, ...policy },
  });
  if (!approved.ok) throw new Error(`trial ${trial.trialId} not approved: ${approved.reason}`);
  await stack.dcc.execute(approved.effects);
}

/** A stack with chf1 and the given devices, trial T-0001 approved from START. */
export async function startTrialStack(seed: string, devices: readonly DeviceSpec[]): Promise<SimStack> {
  const stack = await SimStack.start({ seed, start: START, devices: [CHF, ...devices], cpl: ACME_CPL });
  await approveTrialOn(stack, START);
  return stack;
}

/** The response code an SR ended with, or the alert code of the device that refused it. */
export function outcomeCode(outcome: FinalOutcome): string {
  return outcome.kind === 'response' ? outcome.response.responseCode : (outcome.alert.alertCode ?? 'alert');
}
