import { type Eui, lookupSrv, SRV_CATALOGUE } from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { defaultBody } from '../scenario/request-bodies.js';
import type { DeviceSpec } from '../stack/device-spec.js';

/** What a person asks for: an SRV as a party, for a device, with a body over the default one. */
export interface SrAsk {
  readonly as: string;
  readonly srv: string;
  /** Scenario id or EUI of the device the SR is for. */
  readonly device?: string | undefined;
  readonly body?: Record<string, unknown> | undefined;
}

/** Where the request goes and what it carries. */
export interface SrPlan {
  readonly target: Eui;
  readonly body: Record<string, unknown>;
  readonly device: DeviceSpec | undefined;
}

/**
 * Works out an SR's target and body the way a scenario's `send` does: non-device SRs go to the
 * DCC, 8.11 to the device's comms hub, the rest to the device; the body is the SRV's default for
 * the device with the asked body merged over it. `sr`, the console and `watch` all plan this way.
 */
export function planServiceRequest(
  ask: SrAsk,
  deviceSpec: (idOrEui: string) => DeviceSpec,
  dccEui: Eui,
  /** The error code when the SR names no device it can go to (a scenario's is SCENARIO_INVALID). */
  problemCode = 'USAGE',
): SrPlan {
  const spec = ask.device === undefined ? undefined : deviceSpec(ask.device);
  const chfEui = spec?.chf === undefined ? undefined : deviceSpec(spec.chf).eui;
  const def = lookupSrv(ask.srv);
  let target: Eui | undefined;
  if (def?.nonDevice) target = dccEui;
  else if (ask.srv === '8.11') target = chfEui;
  else target = spec?.eui;
  if (target === undefined) {
    throw new TrialsimError(
      problemCode,
      ask.srv === '8.11' && spec !== undefined
        ? `SR 8.11 for ${spec.id} needs its comms hub, and ${spec.id} names none`
        : `SR ${ask.srv} needs a device`,
    );
  }
  return { target, body: { ...defaultBody(ask.srv, spec), ...ask.body }, device: spec };
}

/** A device spec by scenario id or EUI among `specs`, or an error naming the ones there are. */
export function findDeviceSpec(specs: Iterable<DeviceSpec>, idOrEui: string): DeviceSpec {
  const all = [...specs];
  const spec = all.find((d) => d.id === idOrEui || d.eui === idOrEui.toUpperCase());
  if (spec === undefined) {
    throw new TrialsimError(
      'UNKNOWN_DEVICE',
      `no device "${idOrEui}" in the running stack (devices: ${all.map((d) => d.id).join(', ')})`,
    );
  }
  return spec;
}

/** The SRVs whose device side trialsim models (the others are refused with E12 by design). */
export function implementedSrvs(): {
  srv: string;
  name: string;
  critical: boolean;
  nonDevice: boolean;
  roles: readonly string[];
}[] {
  return [...SRV_CATALOGUE.values()]
    .filter((d) => d.implemented)
    .map((d) => ({ srv: d.srv, name: d.name, critical: d.critical, nonDevice: d.nonDevice, roles: d.roles }));
}
