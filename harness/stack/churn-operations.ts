import {
  type ChurnEvent,
  type Eui,
  planChurn,
  type RegisteredRole,
  registeredParty,
  type SolrAppointment,
} from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import type { FinalOutcome, RequestHandle } from '../../simulator/parties/index.js';
import { SeededRandom } from '../../simulator/time/index.js';
import { partyByName } from './parties.js';
import type { SimStack } from './sim-stack.js';

/**
 * Supplier churn driven from the harness (DCC.md §9): the registration data feed, a Change of
 * Supplier run by the gaining supplier's agent, and a Supplier of Last Resort appointment. The
 * rules are in simulator/domain/churn and dcc/change-of-supplier.ts; this only wires them to a
 * running stack.
 */

function smiRecord(stack: SimStack, device: Eui) {
  const record = stack.dcc.view.smi.get(device);
  if (record === undefined) {
    throw new TrialsimError('CHURN_NO_DEVICE', `device ${device} is not in the Smart Metering Inventory`);
  }
  return record;
}

/** The registration data provider's feed: `party` is registered for the device from `from`. */
export function feedRegistration(
  stack: SimStack,
  device: Eui,
  role: RegisteredRole,
  partyName: string,
  from: number,
  cause: string,
): void {
  const party = partyByName(partyName);
  const wanted = role === 'supplier' ? 'supplier' : 'networkOperator';
  if (party.remoteRole !== wanted) {
    throw new TrialsimError(
      'CHURN_WRONG_ROLE',
      `${partyName} is not a ${wanted} (it is ${party.remoteRole})`,
    );
  }
  const outcome = stack.dcc.administer({
    kind: 'registerParty',
    device,
    role,
    party: party.eui,
    from,
    cause,
  });
  if (!outcome.ok) throw new TrialsimError('CHURN_NO_DEVICE', outcome.reason);
}

/** The supplier registered for the device now, by party name. */
export function registeredSupplierName(stack: SimStack, device: Eui): string | undefined {
  const eui = registeredParty(stack.dcc.view, smiRecord(stack, device), 'supplier', stack.clock.now());
  return eui === undefined ? undefined : nameOf(stack, eui);
}

export function nameOf(stack: SimStack, eui: Eui): string {
  return stack.dcc.view.users.get(eui)?.name ?? eui;
}

/**
 * A complete Change of Supplier as it happens in the field: the feed registers the gaining
 * supplier from now (unless it already is), then the gaining supplier sends 6.23.
 */
export function changeOfSupplier(
  stack: SimStack,
  device: Eui,
  gaining: string,
  cause = 'CoS',
): RequestHandle {
  if (registeredSupplierName(stack, device) !== gaining) {
    feedRegistration(stack, device, 'supplier', gaining, stack.clock.now(), cause);
  }
  return stack.user(gaining).request({ srv: '6.23', target: device });
}

/** True if a 6.23 ended with the device confirming every replacement. */
export function cosSucceeded(outcome: FinalOutcome): boolean {
  return (
    outcome.kind === 'response' &&
    outcome.response.responseCode === 'I0' &&
    outcome.response.body?.status === 'success'
  );
}

export interface SolrResult {
  readonly appointment: SolrAppointment;
  readonly outcomes: ReadonlyMap<Eui, FinalOutcome>;
}

/**
 * Supplier of Last Resort: the failed supplier's devices move to `lastResort` in one batch —
 * one registration change, then a 6.23 for every live device, all sent before any is answered.
 */
export async function supplierOfLastResort(
  stack: SimStack,
  failed: string,
  lastResort: string,
  wait: <T>(promise: Promise<T>, what: string) => Promise<T>,
  options: { readonly keepFailedUserActive?: boolean } = {},
): Promise<SolrResult> {
  const outcome = stack.dcc.administer({
    kind: 'supplierOfLastResort',
    failed: partyByName(failed).eui,
    lastResort: partyByName(lastResort).eui,
    ...options,
  });
  if (!outcome.ok) throw new TrialsimError('SOLR_REFUSED', `${outcome.rule}: ${outcome.reason}`);
  const appointment = outcome.appointment as NonNullable<typeof outcome.appointment>;
  stack.trace.add({
    at: stack.clock.now(),
    from: 'DCC',
    to: 'DCC',
    kind: 'notice',
    summary: `Supplier of Last Resort: ${lastResort} takes ${appointment.changeOfSupplier.length + appointment.movedInSmi.length} devices of ${failed}`,
  });
  const agent = stack.user(lastResort);
  const handles = appointment.changeOfSupplier.map(
    (device) => [device, agent.request({ srv: '6.23', target: device })] as const,
  );
  const outcomes = new Map<Eui, FinalOutcome>();
  for (const [device, handle] of handles) {
    outcomes.set(device, await wait(handle.final, `the 6.23 of ${lastResort} for ${device}`));
  }
  return { appointment, outcomes };
}

export interface ChurnRun {
  readonly planned: readonly ChurnEvent[];
  /** Each fired event with how its 6.23 ended (filled in as virtual time passes). */
  readonly completed: { readonly event: ChurnEvent; readonly outcome: FinalOutcome }[];
  /** Events that found the device gone (decommissioned) or already with the target supplier. */
  readonly skipped: ChurnEvent[];
}

/**
 * Seeded churn over a fleet (churn-generator.ts): plans every switch for the window now, then
 * schedules each on the virtual clock, where it runs as a real Change of Supplier (feed, 6.23).
 * Each event starts from the device's actual registered supplier at that moment.
 */
export function startChurn(
  stack: SimStack,
  options: {
    readonly devices: readonly Eui[];
    readonly suppliers: readonly string[];
    readonly ratePerMonth: number;
    readonly until: number;
    readonly label: string;
  },
): ChurnRun {
  const suppliers = options.suppliers.map((name) => {
    const party = partyByName(name);
    if (party.remoteRole !== 'supplier')
      throw new TrialsimError('CHURN_WRONG_ROLE', `${name} is not a supplier`);
    return party.eui;
  });
  const planned = planChurn({
    devices: options.devices.map((device) => ({
      device,
      supplier: smiRecord(stack, device).supplier,
    })),
    suppliers,
    ratePerMonth: options.ratePerMonth,
    start: stack.clock.now(),
    end: options.until,
    random: new SeededRandom(stack.pki.seed, `churn/${options.label}`),
  });
  const run: ChurnRun = { planned, completed: [], skipped: [] };
  for (const event of planned) {
    stack.clock.schedule(event.at, `churn ${event.device} → ${nameOf(stack, event.to)}`, () => {
      const record = stack.dcc.view.smi.get(event.device);
      const gaining = nameOf(stack, event.to);
      if (
        record === undefined ||
        record.status === 'Decommissioned' ||
        record.status === 'Withdrawn' ||
        registeredSupplierName(stack, event.device) === gaining
      ) {
        run.skipped.push(event);
        return;
      }
      const handle = changeOfSupplier(stack, event.device, gaining, 'churn');
      void handle.final.then(
        (outcome) => {
          run.completed.push({ event, outcome });
        },
        (err: unknown) => {
          // Never silent: a Change of Supplier that could not even be sent is in the trace.
          stack.trace.add({
            at: stack.clock.now(),
            from: 'DCC',
            to: 'DCC',
            kind: 'notice',
            summary: `churn: the 6.23 for ${event.device} failed: ${err instanceof Error ? err.message : String(err)}`,
          });
        },
      );
    });
  }
  return run;
}

/**
 * The supplier that answers for a device now: the registered one once the device is in the SMI,
 * else the supplier it was built for (before 12.2). Fleet steps send as this party by default, so
 * they keep working after churn has moved devices.
 */
export function currentSupplierName(stack: SimStack, deviceId: string): string {
  const spec = stack.deviceSpec(deviceId);
  if (!stack.dcc.view.smi.has(spec.eui)) return spec.supplier;
  return registeredSupplierName(stack, spec.eui) ?? spec.supplier;
}
