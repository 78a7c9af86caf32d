import { readdirSync, readFileSync } from 'node:fs';
import { TrialsimError } from '../../simulator/errors.js';

/**
 * Whether a stack's own MQTT clients fit under the process's open-file limit, checked before the
 * first connection. Why: past the limit the broker cannot accept a socket and the client sees
 * "read ECONNRESET" (or connect EMFILE) half-way through start-up, which names nothing a user can
 * fix. Each client is one descriptor, and one more on the embedded broker's side of the socket.
 */

/** Descriptors kept free for what else the run opens (evidence files, the trace, node's own). */
export const DESCRIPTOR_HEADROOM = 64;

export interface DescriptorBudget {
  /** Clients this process opens: the DCC, each DCC User, each device with its own client. */
  readonly clients: number;
  /** Whether the broker runs in this process (its side of every socket counts too). */
  readonly embeddedBroker: boolean;
  /** The soft limit on open files (`ulimit -n`), when the platform says. */
  readonly limit: number | undefined;
  /** Descriptors already open, when the platform says. */
  readonly inUse: number | undefined;
  /** Devices with their own client, for the message. */
  readonly ownClientDevices: number;
}

export function descriptorsNeeded(budget: Pick<DescriptorBudget, 'clients' | 'embeddedBroker'>): number {
  return budget.clients * (budget.embeddedBroker ? 2 : 1) + DESCRIPTOR_HEADROOM;
}

/** Throws TrialsimError FD_LIMIT naming the limit, what the run needs and what to do; else nothing. */
export function checkDescriptorBudget(budget: DescriptorBudget): void {
  if (budget.limit === undefined) return;
  const needed = descriptorsNeeded(budget) + (budget.inUse ?? 0);
  if (needed <= budget.limit) return;
  const perClient = budget.embeddedBroker
    ? 'two descriptors per client: its socket and the embedded broker’s'
    : 'one descriptor per client';
  throw new TrialsimError(
    'FD_LIMIT',
    `this stack needs about ${needed} open files but the process may open ${budget.limit} (open-file limit, \`ulimit -n\`): ` +
      `${budget.clients} MQTT clients (${budget.ownClientDevices} devices each with its own client), ${perClient}` +
      `${budget.inUse === undefined ? '' : `, ${budget.inUse} already open`}. ` +
      `Raise the limit (\`ulimit -n ${needed}\`, up to the hard limit) or run fewer devices per process (harness/fleet shares connections across workers).`,
  );
}

/** The soft open-file limit of this process on Linux (/proc/self/limits); undefined elsewhere. */
export function openFileLimit(
  limits: () => string = () => readFileSync('/proc/self/limits', 'utf8'),
): number | undefined {
  try {
    const line = /^Max open files\s+(\d+|unlimited)\s/m.exec(limits());
    if (line === null || line[1] === 'unlimited') return undefined;
    return Number(line[1]);
  } catch {
    return undefined;
  }
}

/** Descriptors open in this process now on Linux (/proc/self/fd); undefined elsewhere. */
export function openFileCount(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

/**
 * Simulated devices up to which 'auto' gives each its own client on the embedded broker. A client
 * of its own costs a device some 59 KB against some 10 KB on one shared connection (bench section
 * 2): past this many, the clients would outweigh the devices, and 'auto' shares whatever the
 * open-file limit, so a large trial's memory does not depend on `ulimit -n`.
 */
export const OWN_CLIENTS_UP_TO = 1_000;

/**
 * StackOptions.deviceConnection 'auto': each device its own client while that fits under the
 * open-file limit and the devices are at most OWN_CLIENTS_UP_TO; past either, on the embedded
 * broker, one shared connection for all of them (two descriptors in all instead of two per
 * device), which no scenario step can tell apart (the same seed gives the same trace.jsonl). With
 * an external broker, or when even shared does not fit, 'own' stays and checkDescriptorBudget
 * names the limit.
 */
export function fittingDeviceConnection(
  budget: Omit<DescriptorBudget, 'clients'> & { readonly otherClients: number },
): 'own' | 'shared' {
  const fits = (clients: number) =>
    budget.limit === undefined ||
    descriptorsNeeded({ clients, embeddedBroker: budget.embeddedBroker }) + (budget.inUse ?? 0) <=
      budget.limit;
  if (budget.ownClientDevices <= OWN_CLIENTS_UP_TO && fits(budget.otherClients + budget.ownClientDevices))
    return 'own';
  if (budget.embeddedBroker && fits(budget.otherClients + 1)) return 'shared';
  return 'own';
}
