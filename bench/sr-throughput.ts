import { FLEET_CPL, fleetDeviceSpecs } from '../harness/fleet/fleet-devices.js';
import { SimStack } from '../harness/stack/sim-stack.js';
import type { Eui } from '../simulator/domain/eui.js';
import type { FinalOutcome } from '../simulator/parties/dcc-user-agent.js';
import { runWindowed, secondsFor } from './bench-timing.js';

/** The two kinds of service request the benchmark drives end to end. */
export type SrKind = 'read' | 'critical';

export const SR_UNDER_TEST: Readonly<Record<SrKind, string>> = { read: '11.2', critical: '8.1.1' };

export interface ThroughputOptions {
  readonly devices: number;
  readonly requests: number;
  /** Service requests in flight at once (never more than one per device). */
  readonly window: number;
  /** 'own' (the default design): a client per device; 'shared': one connection for all devices. */
  readonly deviceConnection?: 'own' | 'shared';
}

export interface ThroughputResult {
  readonly srv: string;
  readonly requests: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** CPU seconds this process used per SR (all its threads): steadier than wall time on a shared machine. */
  readonly cpuSecondsPerSr: number;
  /** Messages through the broker per SR, counted from the DCC's trace. */
  readonly messagesPerSr: number;
}

const VIRTUAL_START = Date.UTC(2026, 0, 5);

/**
 * Service requests per second through the real embedded broker, the DCC, a supplier agent and
 * simulated devices, each party with its own MQTT client (the default design).
 *
 * read: 11.2 Read Firmware Version (non-critical: the DCC's ACB MACs the command, the device MACs
 * its response). critical: 8.1.1 Commission Device (CV 4 → Pre-Command → supplier signs → CV 5 →
 * device verifies the signature against its Supplier trust anchor). 8.1.1 needs the device
 * InstalledNotCommissioned in the SMI, so the benchmark puts it back there before each request —
 * a write to the DCC's inventory outside the message flow, which changes none of the work measured.
 */
export async function measureThroughput(kind: SrKind, options: ThroughputOptions): Promise<ThroughputResult> {
  const session = await openThroughput(kind, options);
  try {
    return await session.measure(options.requests);
  } finally {
    await session.close();
  }
}

/** A started, warmed-up stack that measures rounds of one SR kind: the bench interleaves its rounds with the limit's. */
export interface ThroughputSession {
  measure(requests: number): Promise<ThroughputResult>;
  close(): Promise<void>;
}

export async function openThroughput(kind: SrKind, options: ThroughputOptions): Promise<ThroughputSession> {
  if (options.window > options.devices) throw new RangeError('window must not exceed the device count');
  const srv = SR_UNDER_TEST[kind];
  const specs = fleetDeviceSpecs(0, options.devices, { preinstalled: true });
  const stack = await SimStack.start({
    seed: `bench-${kind}`,
    start: VIRTUAL_START,
    devices: specs,
    cpl: FLEET_CPL,
    namespace: `bench-${kind}-${process.pid}`,
    deviceConnection: options.deviceConnection ?? 'own',
  });
  const supplier = stack.user('supplier-a');
  const smi = stack.dcc.core.state.smi;
  const send = async (index: number): Promise<void> => {
    const eui = (specs[index % specs.length] as { eui: Eui }).eui;
    if (kind === 'critical') {
      const record = smi.get(eui);
      if (record !== undefined) record.status = 'InstalledNotCommissioned';
    }
    const outcome: FinalOutcome = await supplier.request({ srv, target: eui }).final;
    if (outcome.kind !== 'response' || outcome.response.responseCode !== 'I0') {
      throw new Error(`${srv} for ${eui} ended ${JSON.stringify(outcome).slice(0, 300)}`);
    }
  };
  try {
    // Warm-up: JIT (optimised code for every path an SR takes), the shared-secret cache,
    // KeyObjects for every device. The figure is the steady state a long run settles into.
    await runWindowed(Math.max(options.devices * 2, 1_000), options.window, send);
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return {
    async measure(requests: number): Promise<ThroughputResult> {
      const traceBefore = stack.trace.length;
      const cpuBefore = process.cpuUsage();
      const seconds = await secondsFor(() => runWindowed(requests, options.window, send));
      const cpu = process.cpuUsage(cpuBefore);
      return {
        srv,
        requests,
        seconds,
        perSecond: requests / seconds,
        cpuSecondsPerSr: (cpu.user + cpu.system) / 1e6 / requests,
        messagesPerSr: (stack.trace.length - traceBefore) / requests,
      };
    },
    close: () => stack.stop(),
  };
}
