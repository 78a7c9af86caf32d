import { findCplEntry } from '../cpl/cpl-entry.js';
import { lookupSrv } from '../duis/srv-catalogue.js';
import { type Eui, parseEui } from '../eui.js';
import {
  type FirmwareHeader,
  firmwareImageHash,
  parseFirmwareImage,
  toHex,
} from '../firmware/firmware-image.js';
import type { SmiRecord } from '../smi/smi-record.js';
import type { DccEffect } from './dcc-effects.js';
import type { DccState, PendingCommand } from './dcc-state.js';
import { notOnCpl } from './firmware-screening.js';
import { recordOutcome, serviceResponse } from './sr-outcomes.js';
import type { FollowUpHandler, NonDeviceHandler } from './srv-handler.js';

/**
 * 11.1 Update Firmware (DCC.md §10 step 1). A non-device SR: the DCC screens the device list and
 * answers I0 at once with the warning lists, then sends the image to every accepted device as a
 * non-critical GBCS command MACed by the ACB. Each device answers later with a transfer alert:
 * 0x8F8A (outcome 0) or 0x8F89 (1 discarded, 2 hardware version mismatch, 3 failure); a failure,
 * or no answer before the response deadline, raises the DCC alert `FirmwareDistributionFailure`.
 */
export interface DistributionWarnings {
  /** Not an EUI-64, or not in the SMI. */
  readonly invalidDeviceIds: string[];
  /** Registered to another supplier (the E4 rule, per device). */
  readonly notAuthorised: string[];
  /** SMI status other than Commissioned or Suspended (TRIALS.md: Suspended devices take 11.1). */
  readonly notCommissioned: string[];
  /** Wrong device type or manufacturer, hardware version not in the image header, or an image
   *  hash that differs from the CPL entry for that Device Model and firmware version. */
  readonly firmwareNotApplicable: string[];
  /** The DCC holds no device KA certificate, so the ACB cannot protect the command. */
  readonly noSecurityCredentials: string[];
  /** No CPL entry for the device's model and hardware version at this firmware version. */
  readonly firmwareNotOnCpl: string[];
}

const ALLOWED_STATUSES = new Set(['Commissioned', 'Suspended']);

function screen(
  state: DccState,
  user: Eui,
  id: string,
  header: FirmwareHeader,
  hash: string,
): { device: Eui; record: SmiRecord } | keyof DistributionWarnings {
  let device: Eui;
  try {
    device = parseEui(id);
  } catch {
    return 'invalidDeviceIds';
  }
  const record = state.smi.get(device);
  if (record === undefined) return 'invalidDeviceIds';
  if (record.supplier !== user) return 'notAuthorised';
  if (record.status === null || !ALLOWED_STATUSES.has(record.status)) return 'notCommissioned';
  const types = lookupSrv('11.1')?.deviceTypes ?? [];
  if (
    !types.includes(record.deviceType) ||
    record.manufacturer !== header.manufacturer ||
    !header.hardwareVersions.includes(record.hardwareVersion)
  ) {
    return 'firmwareNotApplicable';
  }
  const entry = findCplEntry(state.cpl, { ...record, firmwareVersion: header.firmwareVersion });
  if (entry?.imageHash !== undefined && entry.imageHash.toLowerCase() !== hash)
    return 'firmwareNotApplicable';
  return { device, record };
}

/**
 * Firmware screened against the CPL (firmware-screening.ts; policy `firmware.screening.11.1`):
 * refuse the 11.1 with E110101 if any screened device's model and hardware version has no CPL
 * entry for this firmware version, or distribute and answer W110101 naming those devices.
 */
function screenAgainstCpl(
  ctx: Parameters<NonDeviceHandler>[0],
  accepted: readonly { device: Eui; record: SmiRecord }[],
  firmwareVersion: string,
): { refusal: DccEffect[] } | { unlisted: Eui[] } {
  const unlisted = accepted
    .filter((a) => notOnCpl(ctx.state, a.record, firmwareVersion))
    .map((a) => a.device);
  if (unlisted.length === 0 || ctx.state.policy['firmware.screening.11.1'] === 'warn') return { unlisted };
  const models = [
    ...new Set(
      accepted
        .filter((a) => unlisted.includes(a.device))
        .map((a) => `${a.record.model} hw ${a.record.hardwareVersion}`),
    ),
  ];
  return {
    refusal: ctx.refuse(
      'E110101',
      `firmware ${firmwareVersion} has no CPL entry for ${models.join(', ')} (devices ${unlisted.join(', ')}): nothing distributed`,
      'FIRMWARE-NOT-ON-CPL',
    ),
  };
}

export const updateFirmware: NonDeviceHandler = (ctx) => {
  const image = ctx.body.image as Uint8Array;
  const parsed = parseFirmwareImage(image);
  if (!parsed.ok) {
    return ctx.refuse('E12', `11.1 image is not a firmware image: ${parsed.reason}`, 'FIRMWARE-IMAGE');
  }
  const { header } = parsed.image;
  if (header.firmwareVersion !== ctx.body.firmwareVersion) {
    return ctx.refuse(
      'E12',
      `11.1 names firmware version ${String(ctx.body.firmwareVersion)} but the image header says ${header.firmwareVersion}`,
      'FIRMWARE-IMAGE',
    );
  }
  const hash = toHex(firmwareImageHash(image));
  const warnings: DistributionWarnings = {
    invalidDeviceIds: [],
    notAuthorised: [],
    notCommissioned: [],
    firmwareNotApplicable: [],
    noSecurityCredentials: [],
    firmwareNotOnCpl: [],
  };
  const accepted: { device: Eui; record: SmiRecord }[] = [];
  for (const id of new Set(ctx.body.deviceIds as string[])) {
    const screened = screen(ctx.state, ctx.admitted.user.eui, id, header, hash);
    if (typeof screened === 'string') warnings[screened].push(id);
    else accepted.push(screened);
  }
  const cpl = screenAgainstCpl(ctx, accepted, header.firmwareVersion);
  if ('refusal' in cpl) return cpl.refusal;
  warnings.firmwareNotOnCpl.push(...cpl.unlisted);
  // 11.3 names only the image hash: remember which firmware it is (firmware-screening.ts).
  ctx.state.distributedImages.set(hash, {
    manufacturer: header.manufacturer,
    firmwareVersion: header.firmwareVersion,
    hardwareVersions: [...header.hardwareVersions],
  });
  const distributedTo: Eui[] = [];
  const effects: DccEffect[] = [];
  for (const screened of accepted) {
    const id = screened.device;
    const sent = ctx.sendFollowUp(screened.device, { image, firmwareVersion: header.firmwareVersion });
    if (sent === undefined) {
      warnings.noSecurityCredentials.push(id);
      continue;
    }
    distributedTo.push(screened.device);
    effects.push(...sent);
  }
  const body = { imageHash: hash, firmwareVersion: header.firmwareVersion, distributedTo, warnings };
  if (cpl.unlisted.length === 0) return ctx.ok(body, effects);
  const { state, request, admitted, now } = ctx;
  recordOutcome(
    state,
    request.requestId,
    admitted.user.eui,
    '11.1',
    undefined,
    'W110101',
    'FIRMWARE-NOT-ON-CPL',
    now,
    now,
  );
  return [
    serviceResponse(admitted.user.eui, request.requestId, '11.1', 'W110101', {
      rule: 'FIRMWARE-NOT-ON-CPL',
      reason: `warning: firmware ${header.firmwareVersion} has no CPL entry for ${cpl.unlisted.join(', ')}; distributed anyway (policy firmware.screening.11.1 = warn)`,
      body,
    }),
    ...effects,
  ];
};

function distributionFailure(
  pending: PendingCommand,
  now: number,
  details: Record<string, unknown>,
): DccEffect {
  return {
    type: 'dccAlert',
    user: pending.user,
    message: {
      alert: 'FirmwareDistributionFailure',
      deviceId: pending.device,
      raisedAt: now,
      details: { requestId: pending.requestId, ...details },
    },
  };
}

/** The device's transfer alert for an 11.1 (the alert itself is relayed by the core). */
export const firmwareTransfer: FollowUpHandler = {
  answered(_state, pending, payload, now) {
    const outcome = payload.body.transferOutcome;
    if (payload.messageCode === '0x8F8A' && outcome === 0) return [];
    return [
      distributionFailure(pending, now, {
        transferOutcome: typeof outcome === 'number' ? outcome : 3,
        alertCode: payload.messageCode,
        ...(typeof payload.body.detail === 'string' ? { reason: payload.body.detail } : {}),
      }),
    ];
  },
  timedOut(state, pending, now) {
    return [
      distributionFailure(pending, now, {
        transferOutcome: 3,
        reason: `no transfer result from ${pending.device} within ${state.config.responseTimeoutMs / 1000} s`,
      }),
    ];
  },
};
