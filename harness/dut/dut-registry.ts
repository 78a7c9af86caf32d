import type { SimStack } from '../stack/sim-stack.js';
import type { ConductViolation } from './crafted/device-traffic.js';

/** What the conduct check asks of a device under test's link beyond the trace. */
export interface WatchedDevice {
  /** Breaches only the link can see (raw bytes, timing relative to commands). */
  violations(): readonly ConductViolation[];
}

const links = new WeakMap<SimStack, Map<string, WatchedDevice>>();

/** Records that scenario device `id` of this run is a device under test, watched by `link`. */
export function registerDeviceUnderTest(stack: SimStack, id: string, link: WatchedDevice): void {
  const map = links.get(stack) ?? new Map<string, WatchedDevice>();
  map.set(id, link);
  links.set(stack, map);
}

export function deviceUnderTest(stack: SimStack, id: string): WatchedDevice | undefined {
  return links.get(stack)?.get(id);
}

/** True when the scenario device is played by a device under test in this run. */
export function isDeviceUnderTest(stack: SimStack, id: string): boolean {
  return deviceUnderTest(stack, id) !== undefined;
}
