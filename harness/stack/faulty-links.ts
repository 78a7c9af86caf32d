import {
  type DelayedFailureSink,
  type FaultPlan,
  FaultyTransport,
  type Topics,
} from '../../simulator/adapters/index.js';
import type { SchedulingClock, Transport } from '../../simulator/ports/index.js';
import type { DeviceSpec } from './device-spec.js';
import { USER_PARTIES } from './parties.js';

/** Wraps one party's transport so the fault plan's rules apply to the links it sends on. */
export type FaultyLink = (transport: Transport, self: string) => Transport;

/** Fault injection for a stack's parties: each transport learns who receives on each topic. */
export function faultyLinks(
  topics: Topics,
  devices: readonly DeviceSpec[],
  faults: FaultPlan,
  clock: SchedulingClock,
  onDelayedFailure?: DelayedFailureSink,
): FaultyLink {
  const partyNameByEui = new Map<string, string>(USER_PARTIES.map((p) => [p.eui, p.name]));
  const deviceIdByEui = new Map<string, string>(devices.map((d) => [d.eui, d.id]));
  // A link end is `dcc`, a party name or a scenario device id (fault rules name links so).
  const recipientOf = (topic: string): string | undefined => {
    const route = topics.route(topic);
    if (route === undefined) return undefined;
    if (route.channel === 'dccIn' || route.channel === 'wanUp') return 'dcc';
    return (route.channel === 'dccOut' ? partyNameByEui : deviceIdByEui).get(route.party);
  };
  return (transport, self) =>
    new FaultyTransport(transport, self, recipientOf, faults, clock, onDelayedFailure);
}
