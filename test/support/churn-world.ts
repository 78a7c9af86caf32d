import { expect } from 'vitest';
import type { DeviceSpec } from '../../harness/stack/device-spec.js';
import { DCC_EUI, partyByName } from '../../harness/stack/parties.js';
import type { SimStack } from '../../harness/stack/sim-stack.js';
import { cellFor } from '../../simulator/domain/device/trust-anchors.js';
import type { Eui } from '../../simulator/domain/eui.js';
import type { KeyPair } from '../../simulator/domain/smki/key-pair.js';
import type { FinalOutcome } from '../../simulator/parties/dcc-user-agent.js';

/** A comms hub and ESMEs on one stack, for the churn tests: see test/support/acme-world.ts. */
import { esme as baseEsme, CHF, outcomeCode as code } from './acme-world.js';
import { issuingCaOf, organisationCertificate } from './organisation-certificates.js';

export {
  ACME_CPL as CPL,
  CHF,
  outcomeCode as code,
  START,
  startTrialStack as startChurnStack,
} from './acme-world.js';

/** Churn tests start from installed meters unless they say otherwise. */
export function esme(n: number, options: { preinstalled?: boolean; supplier?: string } = {}): DeviceSpec {
  return baseEsme(n, { preinstalled: true, ...options });
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
 * critical command whose fate depends only on who signed it. With `rotated`, the DS cell gets a
 * certificate for that key instead, issued by the stack's Issuing CA (the device validates it).
 * CS02b carries the certificates whole (GBCS.md §7.8), as the User's DUIS request does.
 */
export async function rekeyBody(
  stack: SimStack,
  party: string,
  replacementMode: 'supplierBySupplier' | 'networkOperatorByNetworkOperator',
  rotated?: KeyPair,
): Promise<Record<string, unknown>> {
  const org = stack.pki.organisation(party);
  const certificate =
    rotated === undefined
      ? org.ds.der
      : await organisationCertificate(org, 'digitalSignature', rotated, issuingCaOf(stack.pki));
  return {
    replacementMode,
    replacements: [{ role: org.role, keyUsage: 'digitalSignature', certificate }],
    certificationPath: [stack.pki.issuingCa.der],
  };
}
