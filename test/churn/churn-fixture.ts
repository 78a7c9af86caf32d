import { expect } from 'vitest';
import type { DeviceSpec } from '../../harness/stack/device-spec.js';
import { DCC_EUI, partyByName } from '../../harness/stack/parties.js';
import { SimStack } from '../../harness/stack/sim-stack.js';
import { approveTrial } from '../../simulator/domain/dcc/trial-administration.js';
import { cellFor } from '../../simulator/domain/device/trust-anchors.js';
import { type Eui, parseEui } from '../../simulator/domain/eui.js';
import { DEFAULT_TRIAL_POLICY } from '../../simulator/domain/trial/trial.js';
import type { FinalOutcome } from '../../simulator/parties/dcc-user-agent.js';

/** A comms hub and ESMEs on one stack, for the churn tests (issue 5). */
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
    preinstalled: options.preinstalled ?? true,
    supplier: options.supplier ?? 'supplier-a',
  };
}

export const CPL = [
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

export async function startChurnStack(seed: string, devices: readonly DeviceSpec[]): Promise<SimStack> {
  const stack = await SimStack.start({ seed, start: START, devices: [CHF, ...devices], cpl: CPL });
  const approved = approveTrial(stack.dcc.core.state, {
    trialId: 'T-0001',
    cpaCertificateReference: 'TRIAL-SSC-0001',
    manufacturer: 'Acme Meters Ltd',
    deviceType: 'ESME',
    sponsor: partyByName('supplier-a').eui,
    start: START,
    policy: DEFAULT_TRIAL_POLICY,
  });
  if (!approved.ok) throw new Error(approved.reason);
  await stack.dcc.execute(approved.effects);
  return stack;
}

export function code(outcome: FinalOutcome): string {
  return outcome.kind === 'response' ? outcome.response.responseCode : (outcome.alert.alertCode ?? 'alert');
}

export function body(outcome: FinalOutcome): Record<string, unknown> | undefined {
  return outcome.kind === 'response' ? outcome.response.body : outcome.alert.details;
}

/** 12.2 → 8.11 → 8.4 → 8.1.1 as `supplier`: the device ends Commissioned on trial T-0001. */
export async function commissionTrialDevice(
  stack: SimStack,
  spec: DeviceSpec,
  supplier = 'supplier-a',
): Promise<void> {
  const agent = stack.user(supplier);
  const steps: { srv: string; target: Eui; body: Record<string, unknown> }[] = [
    {
      srv: '12.2',
      target: DCC_EUI,
      body: {
        deviceId: spec.eui,
        deviceType: 'ESME',
        manufacturer: spec.manufacturer,
        model: spec.model,
        hardwareVersion: spec.hardwareVersion,
        firmwareVersion: spec.firmwareVersion,
        chfId: CHF.eui,
        networkOperator: partyByName('network-operator').eui,
      },
    },
    { srv: '8.11', target: CHF.eui, body: { action: 'add', deviceId: spec.eui } },
    { srv: '8.4', target: DCC_EUI, body: { deviceId: spec.eui, status: 'InstalledNotCommissioned' } },
    { srv: '8.1.1', target: spec.eui, body: {} },
  ];
  for (const step of steps) {
    expect(code(await agent.request(step).final), `${step.srv} for ${spec.id}`).toBe('I0');
    await stack.settle();
  }
  expect(stack.dcc.core.state.smi.get(spec.eui)?.status).toBe('Commissioned');
}

/** The EUI in the device's Supplier DS and KA cells (both must agree). */
export function supplierOnDevice(stack: SimStack, id: string): Eui | undefined {
  const anchors = stack.device(id).state.trustAnchors;
  const ds = cellFor(anchors, 'supplier', 'digitalSignature')?.eui;
  const ka = cellFor(anchors, 'supplier', 'keyAgreement')?.eui;
  expect(ds).toBe(ka);
  return ds;
}

export const EUI = {
  a: partyByName('supplier-a').eui,
  b: partyByName('supplier-b').eui,
  c: partyByName('supplier-c').eui,
  no: partyByName('network-operator').eui,
  cos: partyByName('cos-party').eui,
};

/**
 * A 6.15.1 body re-installing `party`'s own DS certificate (a no-op key rotation): a well-formed
 * critical command whose fate depends only on who signed it.
 */
export function rekeyBody(
  stack: SimStack,
  party: string,
  replacementMode: 'supplierBySupplier' | 'networkOperatorByNetworkOperator',
  publicKey?: Uint8Array,
): Record<string, unknown> {
  const org = stack.pki.organisation(party);
  return {
    replacementMode,
    replacements: [
      {
        role: org.role,
        keyUsage: 'digitalSignature',
        eui: org.eui,
        publicKey: Buffer.from(publicKey ?? org.ds.keys.publicKey).toString('hex'),
      },
    ],
  };
}
