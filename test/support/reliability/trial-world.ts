import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../harness/package-root.js';
import { defaultBody } from '../../../harness/scenario/request-bodies.js';
import { loadScenario } from '../../../harness/scenario/scenario-loader.js';
import type { DeviceSpec } from '../../../harness/stack/device-spec.js';
import { DCC_EUI } from '../../../harness/stack/parties.js';
import { SimStack, type StackOptions } from '../../../harness/stack/sim-stack.js';
import { lookupSrv } from '../../../simulator/domain/duis/srv-catalogue.js';
import { parseEui } from '../../../simulator/domain/eui.js';
import type { RequestHandle } from '../../../simulator/parties/dcc-user-agent.js';
import { approveTrialOn, outcomeCode } from '../acme-world.js';

/**
 * The commissioning scenario's world (a preinstalled comms hub, trial ESMEs on it, trial T-0001
 * approved), with `esmeCount` trial ESMEs and a trial cap of `maxDevices`: small enough that
 * random runs reach the cap.
 */
export async function startTrialWorld(
  seed: string,
  options: { esmeCount?: number; maxDevices?: number; durationMonths?: number } & Partial<StackOptions> = {},
): Promise<SimStack> {
  const { esmeCount = 1, maxDevices = 100, durationMonths = 18, ...stackOptions } = options;
  const scenario = await loadScenario(join(PACKAGE_ROOT, 'scenarios', 'commissioning.yaml'));
  const chf = scenario.devices.find((d) => d.id === 'chf1') as DeviceSpec;
  const esme = scenario.devices.find((d) => d.id === 'esme1') as DeviceSpec;
  const esmes = Array.from({ length: esmeCount }, (_, i) => ({
    ...esme,
    id: `esme${i + 1}`,
    eui: parseEui(`00-12-4B-00-00-00-01-${(i + 1).toString(16).padStart(2, '0')}`),
  }));
  const stack = await SimStack.start({
    seed,
    start: scenario.start,
    devices: [chf, ...esmes],
    cpl: scenario.cpl,
    ...stackOptions,
  });
  const trial = scenario.definition.trials[0];
  if (trial === undefined) throw new Error('commissioning.yaml has no trial');
  await approveTrialOn(stack, scenario.start, trial, { maxDevices, durationMonths });
  return stack;
}

/** Sends an SR the way a scenario's `send` step does (same targets, same default bodies). */
export function sendAs(
  stack: SimStack,
  party: string,
  srv: string,
  deviceId: string,
  body: Record<string, unknown> = {},
): RequestHandle {
  const spec = stack.deviceSpec(deviceId);
  const chfEui = spec.chf === undefined ? undefined : stack.deviceSpec(spec.chf).eui;
  const def = lookupSrv(srv);
  const target = def?.nonDevice ? DCC_EUI : srv === '8.11' ? (chfEui ?? spec.eui) : spec.eui;
  return stack.user(party).request({ srv, target, body: { ...defaultBody(srv, spec), ...body } });
}

export { outcomeCode };

/** 12.2 → 8.11 → 8.4: the ESME is InstalledNotCommissioned, ready for 8.1.1. */
export async function installEsme(stack: SimStack, deviceId: string): Promise<void> {
  for (const srv of ['12.2', '8.11', '8.4']) {
    const outcome = await sendAs(stack, 'supplier-a', srv, deviceId).final;
    if (outcomeCode(outcome) !== 'I0') throw new Error(`${srv} for ${deviceId}: ${outcomeCode(outcome)}`);
  }
}
