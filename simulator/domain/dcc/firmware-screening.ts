import { type CplEntry, findCplEntry, isTrialReference } from '../cpl/cpl-entry.js';
import { toHex } from '../firmware/firmware-image.js';
import type { SmiRecord } from '../smi/smi-record.js';
import { checkTrialCommissioning } from '../trial/trial.js';
import type { Refusal } from './access-control.js';
import type { DccState } from './dcc-state.js';
import { trialByReference } from './trial-membership.js';

/**
 * Firmware screened against the CPL (DCC.md §5, §10): a firmware version needs its own CPL entry
 * for the device's model and hardware version, or the device is Suspended the moment it runs it.
 * 11.1 and 11.3 therefore refuse (or, by policy, warn about) firmware with no such entry, and 11.3
 * onto a trial's firmware is a path into that trial, so its window, sponsor and cap apply
 * (TRIALS.md "Limits": hard limits on every path).
 */

/** What an 11.3 would activate on this device, found from the image hash it names. */
export interface ActivationTarget {
  readonly firmwareVersion: string | undefined;
  readonly entry: CplEntry | undefined;
}

export function activationTarget(state: DccState, record: SmiRecord, imageHash: unknown): ActivationTarget {
  const hash = imageHash instanceof Uint8Array ? toHex(imageHash) : String(imageHash ?? '').toLowerCase();
  const listed = state.cpl.find(
    (e) =>
      e.manufacturer === record.manufacturer &&
      e.model === record.model &&
      e.hardwareVersion === record.hardwareVersion &&
      e.imageHash?.toLowerCase() === hash,
  );
  if (listed !== undefined) return { firmwareVersion: listed.firmwareVersion, entry: listed };
  const image = state.distributedImages.get(hash);
  if (
    image === undefined ||
    image.manufacturer !== record.manufacturer ||
    !image.hardwareVersions.includes(record.hardwareVersion)
  ) {
    return { firmwareVersion: undefined, entry: undefined };
  }
  return {
    firmwareVersion: image.firmwareVersion,
    entry: findCplEntry(state.cpl, { ...record, firmwareVersion: image.firmwareVersion }),
  };
}

export interface ActivationScreening {
  readonly refusal?: Refusal;
  /** Policy `firmware.screening.11.3` = warn: passed on, with this said in the acknowledgement. */
  readonly warning?: { readonly rule: string; readonly reason: string };
  /** The trial the device would join by running this firmware (a slot to reserve). */
  readonly joins?: string;
}

/**
 * Screens an 11.3 for this device: CPL listing first, then, for a trial's firmware, the trial's
 * rules as for 8.1.1 — known trial, window (and not withdrawn), sponsor, cap. A device already
 * counted by that trial (a downgrade back to it) holds its slot; only the window can refuse it.
 */
export function screenActivation(
  state: DccState,
  record: SmiRecord,
  imageHash: unknown,
  user: string,
  now: number,
): ActivationScreening {
  const target = activationTarget(state, record, imageHash);
  // An image the DCC never distributed and the CPL does not name cannot be on the device (firmware
  // reaches it only by 11.1): the device answers noImageHeld or hashMismatch itself. Should it
  // run one all the same, reconciliation applies the membership rule (never uncapped).
  if (target.firmwareVersion === undefined) return {};
  if (target.entry === undefined) {
    const reason = `11.3 would activate firmware ${target.firmwareVersion}, which has no CPL entry for ${record.model} hw ${record.hardwareVersion}: the device would be Suspended`;
    if (state.policy['firmware.screening.11.3'] === 'warn') {
      return { warning: { rule: 'FIRMWARE-NOT-ON-CPL', reason: `warning: ${reason}` } };
    }
    return { refusal: { ok: false, code: 'E12', rule: 'FIRMWARE-NOT-ON-CPL', reason } };
  }
  const reference = target.entry.cpaCertificateReference;
  if (!isTrialReference(reference)) return {};
  const trial = trialByReference(state, reference);
  if (trial === undefined) {
    return {
      refusal: {
        ok: false,
        code: 'E5',
        rule: 'TRIAL-UNKNOWN',
        reason: `firmware ${target.firmwareVersion} is on the CPL under ${reference}, which belongs to no approved trial`,
      },
    };
  }
  const member = trial.commissioned.includes(record.deviceId);
  if (!member && user !== trial.sponsor) {
    return {
      refusal: {
        ok: false,
        code: 'E4',
        rule: 'TRIAL-SPONSOR',
        reason: `only trial ${trial.trialId}'s sponsor ${trial.sponsor} may put a device onto its firmware, not ${user}`,
      },
    };
  }
  const refused = checkTrialCommissioning(trial, now);
  if (refused === undefined)
    return member || record.trialId === trial.trialId ? {} : { joins: trial.trialId };
  if (refused.rule === 'TRIAL-CAP' && (member || trial.reserved.has(record.deviceId))) return {};
  return {
    refusal: {
      ok: false,
      code: 'E5',
      rule: refused.rule,
      reason: `11.3 to firmware ${target.firmwareVersion} would make ${record.deviceId} a device of trial ${trial.trialId}: ${refused.reason}`,
    },
  };
}

/** 11.1: the devices whose model and hardware version have no CPL entry for this firmware version. */
export function notOnCpl(state: DccState, record: SmiRecord, firmwareVersion: string): boolean {
  return findCplEntry(state.cpl, { ...record, firmwareVersion }) === undefined;
}
