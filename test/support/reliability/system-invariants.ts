import type { SimStack } from '../../../harness/stack/sim-stack.js';
import { findCplEntry, isTrialReference } from '../../../simulator/domain/cpl/cpl-entry.js';
import type { SrOutcome } from '../../../simulator/domain/dcc/dcc-state.js';
import { inField, trialByReference } from '../../../simulator/domain/dcc/trial-membership.js';
import { dnoNotification } from '../../../simulator/domain/reports/dno-notification.js';
import { sscTrialReport } from '../../../simulator/domain/reports/ssc-trial-report.js';

/**
 * The reliability guarantees of RELIABILITY.md, as checks over a running stack. Each returns the problems it
 * found (empty: the invariant holds), so a model-based run can report all of them at once.
 */

/** Refusals of a transport duplicate of an SR already admitted: not a second outcome of that SR. */
export function isDuplicateRefusal(outcome: SrOutcome): boolean {
  return outcome.rule === 'DUIS-REQUESTID-COUNTER' || outcome.rule === 'DUIS-CV5-NO-TRANSFORM';
}

/** Every SR has at most one outcome of its own (duplicates' refusals apart). */
export function oneOutcomePerSr(stack: SimStack): string[] {
  const seen = new Map<string, SrOutcome>();
  const problems: string[] = [];
  for (const outcome of stack.dcc.core.state.outcomes) {
    if (isDuplicateRefusal(outcome)) continue;
    const earlier = seen.get(outcome.requestId);
    if (earlier !== undefined) {
      problems.push(`${outcome.requestId} has two outcomes: ${earlier.outcome} and ${outcome.outcome}`);
    }
    seen.set(outcome.requestId, outcome);
  }
  return problems;
}

/**
 * No lost SR: every request a user sent and the DCC accepted ended in an outcome the DCC
 * recorded and the user received, once nothing is pending any more (after settling and waiting
 * out the response deadline).
 */
export function noLostSr(stack: SimStack, sent: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const state = stack.dcc.core.state;
  const recorded = new Set(state.outcomes.map((o) => o.requestId));
  const pending = new Set([...state.pending.values()].map((p) => p.requestId));
  for (const requestId of sent) {
    if (!recorded.has(requestId) && !pending.has(requestId) && !state.transforms.has(requestId)) {
      problems.push(`${requestId} was sent but has no recorded outcome and is not pending`);
    }
  }
  return problems;
}

/** TRIALS.md "Limits": never more devices than the cap; none commissioned outside the window. */
export function trialCapAndWindow(stack: SimStack): string[] {
  const problems: string[] = [];
  const state = stack.dcc.core.state;
  for (const trial of state.trials.values()) {
    const used = trial.commissioned.length + trial.reserved.size;
    if (used > trial.policy.maxDevices) {
      problems.push(`trial ${trial.trialId}: ${used} devices over its cap of ${trial.policy.maxDevices}`);
    }
    for (const eui of trial.commissioned) {
      const record = state.smi.get(eui);
      const commissionedAt = record?.history.find((h) => h.to === 'Commissioned')?.at;
      if (commissionedAt !== undefined && (commissionedAt < trial.start || commissionedAt >= trial.end)) {
        problems.push(`${eui} commissioned at ${commissionedAt}, outside trial ${trial.trialId}'s window`);
      }
    }
  }
  return problems;
}

/**
 * The cap seen from the devices: however messages were lost, no more devices of a trial's model
 * were ever commissioned (the device's own 0x8F69 event) than the trial allows.
 */
export function trialCapOnDevices(stack: SimStack): string[] {
  const problems: string[] = [];
  const state = stack.dcc.core.state;
  for (const trial of state.trials.values()) {
    const models = state.cpl.filter((e) => e.cpaCertificateReference === trial.cpaCertificateReference);
    const commissioned = [...stack.devices.values()].filter(
      (d) =>
        models.some(
          (m) => m.manufacturer === d.state.identity.manufacturer && m.model === d.state.identity.model,
        ) && d.state.eventLog.some((e) => e.code === '0x8F69'),
    );
    if (commissioned.length > trial.policy.maxDevices) {
      problems.push(
        `trial ${trial.trialId}: ${commissioned.length} devices commissioned on the devices, cap ${trial.policy.maxDevices}`,
      );
    }
  }
  return problems;
}

/**
 * Trial membership follows the running firmware (simulator/domain/dcc/trial-membership.ts;
 * TRIALS.md step 4 and "Limits"): no device the DCC knows to be in the field on a trial's
 * firmware runs it uncapped or unreported. It is counted by that trial (or found over the cap
 * and Suspended), it is in that trial's SSC report and it is on the DNO list as its device —
 * whether it got there by 8.1.1, by 11.3 onto the trial's maintenance release, or by a
 * downgrade back from certified firmware.
 */
export function trialFirmwareCountedAndReported(stack: SimStack): string[] {
  const problems: string[] = [];
  const state = stack.dcc.core.state;
  const now = stack.clock.now();
  const ssc = sscTrialReport(state, now);
  const dno = dnoNotification(state, now).networkOperators.flatMap((n) => n.trialDevices);
  for (const record of state.smi.values()) {
    if (!inField(record)) continue;
    const entry = findCplEntry(state.cpl, record);
    if (entry === undefined || !isTrialReference(entry.cpaCertificateReference)) continue;
    const id = `${record.deviceId} on ${record.firmwareVersion}`;
    const trial = trialByReference(state, entry.cpaCertificateReference);
    if (trial === undefined) {
      problems.push(`${id}: the firmware of no approved trial`);
      continue;
    }
    const counted = trial.commissioned.includes(record.deviceId);
    const overCap = trial.overCap.has(record.deviceId);
    if (record.trialId !== trial.trialId || !(counted || overCap)) {
      problems.push(
        `${id}: trial ${trial.trialId}'s firmware, but not counted by it (SMI trial ${record.trialId})`,
      );
    }
    if (overCap && record.status !== 'Suspended') problems.push(`${id}: over the cap but ${record.status}`);
    const reported = ssc.trials
      .find((t) => t.trialId === trial.trialId)
      ?.devices.find((d) => d.deviceId === record.deviceId);
    if (reported === undefined || !['inField', 'overdue', 'overCap'].includes(reported.state)) {
      problems.push(`${id}: not in trial ${trial.trialId}'s SSC report as in the field (${reported?.state})`);
    }
    if (!dno.some((d) => d.deviceId === record.deviceId && d.trialId === trial.trialId)) {
      problems.push(`${id}: not on the DNO list as a device of trial ${trial.trialId}`);
    }
  }
  return problems;
}

/**
 * One controlling supplier per device: the device's Supplier trust anchors name exactly one
 * party, and for a commissioned device it is the supplier the SMI has registered.
 */
export function oneControllingSupplier(stack: SimStack): string[] {
  const problems: string[] = [];
  for (const node of stack.devices.values()) {
    const device = node.state;
    const suppliers = new Set(
      device.trustAnchors
        .filter((c) => c.role === 'supplier' && c.keyUsage === 'digitalSignature')
        .map((c) => c.eui),
    );
    if (suppliers.size > 1) {
      problems.push(
        `${device.identity.eui} trusts ${suppliers.size} suppliers: ${[...suppliers].join(', ')}`,
      );
    }
    const record = stack.dcc.core.state.smi.get(device.identity.eui);
    if (
      record?.status === 'Commissioned' &&
      suppliers.size === 1 &&
      !suppliers.has(record.supplier) &&
      !outcomeUnknown(stack, device.identity.eui)
    ) {
      problems.push(
        `${device.identity.eui}: SMI supplier ${record.supplier}, device trusts ${[...suppliers][0]}`,
      );
    }
  }
  return problems;
}

/**
 * True when the device's last SR ended in E21: the command may or may not have run (only its
 * response may have been lost), so the DCC's records may lag the device until the next exchange.
 */
export function outcomeUnknown(stack: SimStack, eui: string): boolean {
  const outcomes = stack.dcc.core.state.outcomes;
  for (let i = outcomes.length - 1; i >= 0; i--) {
    const outcome = outcomes[i];
    if (outcome?.device !== eui || isDuplicateRefusal(outcome)) continue;
    if (outcome.outcome === 'E21') return true;
    if (outcome.outcome === 'I0' || outcome.outcome.startsWith('0x')) return false;
  }
  return false;
}

/**
 * SMI consistent with the devices: Commissioned (or Suspended) in the SMI ⇒ commissioned on the
 * device, always (the DCC records it only from the device's own answer); and the converse unless
 * the device's last SR ended in E21 (outcomeUnknown).
 */
export function smiMatchesDevices(stack: SimStack): string[] {
  const problems: string[] = [];
  for (const node of stack.devices.values()) {
    const device = node.state;
    const status = stack.dcc.core.state.smi.get(device.identity.eui)?.status;
    const dccSaysCommissioned = status === 'Commissioned' || status === 'Suspended';
    const onDevice = device.lifecycle === 'commissioned';
    if (onDevice && !dccSaysCommissioned && outcomeUnknown(stack, device.identity.eui)) continue;
    if (dccSaysCommissioned !== onDevice) {
      problems.push(`${device.identity.eui}: SMI ${status ?? 'absent'}, device ${device.lifecycle}`);
    }
  }
  return problems;
}

/**
 * Every counter the anti-replay rules depend on, as high-water marks over the run so far: a
 * party's counter on a device may vanish (its trust anchor replaced at CoS) but if it returns it
 * must not be below what the device once accepted, or that party's old commands would replay.
 */
export interface CounterSnapshot {
  readonly users: ReadonlyMap<string, number>;
  readonly devices: ReadonlyMap<string, { own: number; accepted: Readonly<Record<string, number>> }>;
}

export function counterSnapshot(stack: SimStack): CounterSnapshot {
  return {
    users: new Map([...stack.dcc.core.state.users.values()].map((u) => [u.eui, u.lastCounter])),
    devices: new Map(
      [...stack.devices.values()].map((d) => [
        d.state.identity.eui,
        { own: d.state.ownCounter, accepted: d.state.lastCounters },
      ]),
    ),
  };
}

/** Counters never go backwards (DCC.md §8): the DCC's per user, each device's own and per party. */
export function countersMonotonic(before: CounterSnapshot, after: CounterSnapshot): string[] {
  const problems: string[] = [];
  for (const [user, counter] of before.users) {
    const now = after.users.get(user) ?? 0;
    if (now < counter) problems.push(`user ${user}: RequestID counter went back from ${counter} to ${now}`);
  }
  for (const [eui, device] of before.devices) {
    const now = after.devices.get(eui);
    if (now === undefined) continue;
    if (now.own < device.own) problems.push(`${eui}: own counter went back from ${device.own} to ${now.own}`);
    for (const [party, counter] of Object.entries(device.accepted)) {
      const next = now.accepted[party];
      if (next !== undefined && next < counter) {
        problems.push(`${eui}: counter for ${party} went back from ${counter} to ${next}`);
      }
    }
  }
  return problems;
}

/** The high-water marks of `before` and `after` together: what the next step is compared with. */
export function highWater(before: CounterSnapshot, after: CounterSnapshot): CounterSnapshot {
  const devices = new Map(after.devices);
  for (const [eui, old] of before.devices) {
    const now = devices.get(eui);
    if (now === undefined) continue;
    const accepted: Record<string, number> = { ...old.accepted };
    for (const [party, counter] of Object.entries(now.accepted)) {
      accepted[party] = Math.max(counter, accepted[party] ?? -1);
    }
    devices.set(eui, { own: Math.max(now.own, old.own), accepted });
  }
  const users = new Map(after.users);
  for (const [user, counter] of before.users) users.set(user, Math.max(counter, users.get(user) ?? 0));
  return { users, devices };
}

export function allInvariants(stack: SimStack, sent: ReadonlySet<string>): string[] {
  return [
    ...oneOutcomePerSr(stack),
    ...noLostSr(stack, sent),
    ...trialCapAndWindow(stack),
    ...trialCapOnDevices(stack),
    ...trialFirmwareCountedAndReported(stack),
    ...oneControllingSupplier(stack),
    ...smiMatchesDevices(stack),
  ];
}
