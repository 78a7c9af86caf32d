import { lookupSrv } from '../../simulator/domain/index.js';
import { parseLink } from '../scenario/scenario-references.js';

/**
 * Who made the check a step's expectation looks at, so conformance.json credits the device under
 * test only with what it did itself:
 * - `device`: the device under test's own messages decide it — its answer to a crafted command,
 *   its response behind an I0, an alert it raised, what its messages show of its state, its conduct;
 * - `dcc`: the DCC decided it (an E-code refusal, the SMI, trial figures, reports, a DCC alert);
 * - `simulatedDevice`: another device of the scenario, simulated by trialsim, decided it;
 * - `none`: the step checks nothing (time, CPL changes, faults).
 */
export type Credit = 'device' | 'dcc' | 'simulatedDevice' | 'none';

type Step = Readonly<Record<string, unknown>>;

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

export function stepCredit(step: Step, duts: ReadonlySet<string>): Credit {
  const byDevice = (id: unknown): Credit =>
    typeof id === 'string' && duts.has(id) ? 'device' : 'simulatedDevice';
  const expect = step.expect as Record<string, unknown> | undefined;
  if (step.inject !== undefined) return byDevice(field(step.inject, 'device'));
  if (step.send !== undefined) {
    if (expect === undefined) return 'none';
    const srv = field(step.send, 'srv');
    const def = typeof srv === 'string' ? lookupSrv(srv) : undefined;
    // Only the device can raise an alert or give the response an I0 carries; E-codes are the DCC's.
    if (expect.deviceAlert !== undefined) return byDevice(field(step.send, 'device'));
    if (expect.response === 'I0' && def !== undefined && !def.nonDevice && srv !== '8.11')
      return byDevice(field(step.send, 'device'));
    return 'dcc';
  }
  if (expect === undefined) return 'none';
  if (expect.conduct !== undefined) return byDevice(field(expect.conduct, 'device'));
  if (expect.device !== undefined) return byDevice(field(expect.device, 'device'));
  if (expect.alert !== undefined && field(expect.alert, 'alertCode') !== undefined)
    return byDevice(field(expect.alert, 'device'));
  return 'dcc';
}

/**
 * Why a scenario cannot run with these devices under test, or undefined if it can: a step that
 * needs a simulated device's body (power, its clock) or a fault on the link from the device (the
 * harness relays a real device's messages itself, so no fault layer sits on that side).
 */
export function notApplicableReason(steps: readonly Step[], duts: ReadonlySet<string>): string | undefined {
  for (const [index, step] of steps.entries()) {
    const at = `step ${index + 1}`;
    const power = field(step.power, 'device');
    if (typeof power === 'string' && duts.has(power))
      return `${at} cuts ${power}'s power: only a simulated device can take that (no power control in PROTOCOL.md §8)`;
    const fault = step.fault;
    const skew = field(fault, 'clockSkew');
    if (typeof skew === 'string' && duts.has(skew))
      return `${at} skews ${skew}'s clock: only a simulated device's clock can be skewed`;
    for (const key of ['drop', 'delay', 'duplicate', 'corrupt']) {
      const text = field(fault, key);
      const link = typeof text === 'string' ? parseLink(text) : undefined;
      if (link !== undefined && duts.has(link.from))
        return `${at} puts a fault on the link from ${link.from}: a device under test's messages do not pass the fault layer`;
    }
    const fleetSteps = field(step.fleet, 'do');
    if (Array.isArray(fleetSteps)) {
      const inner = notApplicableReason(fleetSteps as Step[], duts);
      if (inner !== undefined) return `${at}: ${inner}`;
    }
  }
  return undefined;
}
