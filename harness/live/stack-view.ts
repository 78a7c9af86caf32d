import { registeredParty, sscTrialReport } from '../../simulator/domain/index.js';
import { DCC_EUI, DEFAULT_PARTIES } from '../stack/parties.js';
import type { SimStack } from '../stack/sim-stack.js';
import { implementedSrvs } from './sr-plan.js';

/** A device as the console lists it: what the DCC's SMI says beside what the device says. */
export interface DeviceView {
  readonly id: string;
  readonly eui: string;
  readonly deviceType: string;
  readonly model: string;
  /** The SMI status; `null` for a Type 2 device; undefined while not in the SMI (before 12.2). */
  readonly smiStatus?: string | null;
  readonly trialId?: string;
  /** The firmware version the device reports (its own state). */
  readonly firmwareVersion: string;
  /** The supplier registered for the device now (the scenario's owner before it is in the SMI). */
  readonly supplier: string;
  readonly chf?: string;
  readonly lifecycle: string;
  /** False for a device under test outside this process. */
  readonly simulated: boolean;
}

/** A trial with its cap, window and the SSC report's figures (TRIALS.md step 7). */
export interface TrialView {
  readonly trialId: string;
  readonly cpaCertificateReference: string;
  readonly manufacturer: string;
  readonly sponsor: string;
  readonly start: string;
  readonly end: string;
  readonly phase: string;
  readonly maxDevices: number;
  readonly commissioned: number;
  readonly inField: number;
  readonly capHeadroom: number;
  readonly upgraded: number;
  readonly removed: number;
  readonly overdue: number;
  readonly byStatus: Readonly<Record<string, number>>;
}

export interface StackSnapshot {
  readonly clock: { readonly now: number; readonly iso: string };
  readonly devices: readonly DeviceView[];
  readonly trials: readonly TrialView[];
  readonly parties: readonly { name: string; eui: string; userRole?: string }[];
  readonly srvs: ReturnType<typeof implementedSrvs>;
}

/** Readable names for every EUI of the stack (parties, the DCC, devices by scenario id). */
export function stackNames(stack: SimStack): Record<string, string> {
  const names: Record<string, string> = { DCC: 'DCC', [DCC_EUI]: 'DCC' };
  for (const party of DEFAULT_PARTIES) names[party.eui] = party.name;
  for (const spec of stack.deviceSpecs.values()) names[spec.eui] = spec.id;
  return names;
}

/**
 * A read-only picture of a running stack: it reads the DCC's state and the devices' states and
 * copies what it shows, so nothing a viewer does with it can reach back into the stack.
 */
export function stackSnapshot(stack: SimStack): StackSnapshot {
  const state = stack.dcc.view;
  const now = stack.clock.now();
  const names = stackNames(stack);
  const name = (eui: string | undefined) => (eui === undefined ? undefined : (names[eui] ?? eui));
  const devices = [...stack.deviceSpecs.values()].map((spec): DeviceView => {
    const record = state.smi.get(spec.eui);
    const device = stack.deviceState(spec.id);
    const supplier = record === undefined ? undefined : registeredParty(state, record, 'supplier', now);
    return {
      id: spec.id,
      eui: spec.eui,
      deviceType: spec.deviceType,
      model: spec.model,
      ...(record === undefined ? {} : { smiStatus: record.status }),
      ...(record?.trialId === undefined ? {} : { trialId: record.trialId }),
      firmwareVersion: device.firmwareVersion,
      supplier: name(supplier) ?? spec.supplier,
      ...(spec.chf === undefined ? {} : { chf: spec.chf }),
      lifecycle: device.lifecycle,
      simulated: stack.devices.has(spec.id),
    };
  });
  const trials = sscTrialReport(state, now).trials.map(
    (t): TrialView => ({
      trialId: t.trialId,
      cpaCertificateReference: t.cpaCertificateReference,
      manufacturer: t.manufacturer,
      sponsor: name(t.sponsor) ?? t.sponsor,
      start: t.window.start,
      end: t.window.end,
      phase: t.phase,
      maxDevices: t.policy.maxDevices,
      commissioned: t.commissioned,
      inField: t.inField,
      capHeadroom: t.capHeadroom,
      upgraded: t.upgraded,
      removed: t.removed,
      overdue: t.overdue,
      byStatus: { ...t.byStatus },
    }),
  );
  return {
    clock: { now, iso: new Date(now).toISOString() },
    devices,
    trials,
    parties: DEFAULT_PARTIES.filter((p) => p.userRole !== undefined).map((p) => ({
      name: p.name,
      eui: p.eui,
      ...(p.userRole === undefined ? {} : { userRole: p.userRole }),
    })),
    srvs: implementedSrvs(),
  };
}
