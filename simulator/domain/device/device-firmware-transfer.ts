import { firmwareImageHash, parseFirmwareImage, toHex } from '../firmware/firmware-image.js';
import { bodyBoots, verifyImageSignature } from '../firmware/firmware-signing.js';
import type { GbcsPayload } from '../messages/gbcs-messages.js';
import type { DeviceDefect } from './device-defects.js';
import {
  FIRMWARE_ALERTS,
  type FirmwareResult,
  logEvent,
  logSecurity,
  withFirmware,
} from './device-firmware.js';
import type { HeldImage } from './device-firmware-state.js';
import type { AlertOut } from './device-output.js';
import type { DeviceState } from './device-state.js';

/**
 * An image distributed by 11.1 reaches the device (DCC.md §10 step 1, FIRMWARE-IMAGE.md): the
 * checks run in a fixed order and the answer is a transfer alert tied to the command's counter.
 */
/** DCC.md §10 step 1: transfer outcomes of an image distributed by 11.1. */
export const TRANSFER_OUTCOMES = {
  success: 0,
  discarded: 1,
  hardwareVersionMismatch: 2,
  failure: 3,
} as const;

/** 11.1 reaches the device: check, verify and store the image; answer with a transfer alert. */
export function receiveImage(
  state: DeviceState,
  command: GbcsPayload,
  now: number,
  defect?: DeviceDefect,
): FirmwareResult {
  const image = command.body.image;
  const transfer = (
    next: DeviceState,
    outcome: number,
    detail: string,
    extra: Record<string, unknown> = {},
  ) => {
    const code =
      outcome === TRANSFER_OUTCOMES.success
        ? FIRMWARE_ALERTS.transferSuccess
        : FIRMWARE_ALERTS.transferFailure;
    const logged = logEvent(next, now, code, detail);
    const alert: AlertOut = {
      code,
      inResponseTo: command.counter,
      body: { transferOutcome: outcome, detail, ...extra },
    };
    const silent = defect === 'silent-transfer-success' && outcome === TRANSFER_OUTCOMES.success;
    return { state: logged, body: undefined, outputs: { alerts: silent ? [] : [alert], timers: [] } };
  };
  if (!(image instanceof Uint8Array)) {
    return transfer(state, TRANSFER_OUTCOMES.discarded, 'the command carries no image bytes');
  }
  if (image.length > state.profile.maxImageBytes) {
    return transfer(
      state,
      TRANSFER_OUTCOMES.failure,
      `image of ${image.length} bytes exceeds the device's ${state.profile.maxImageBytes}-byte store`,
    );
  }
  const parsed = parseFirmwareImage(image);
  if (!parsed.ok) return transfer(state, TRANSFER_OUTCOMES.discarded, `image discarded: ${parsed.reason}`);
  const { header } = parsed.image;
  const hash = toHex(firmwareImageHash(image));
  const about = { imageHash: hash, firmwareVersion: header.firmwareVersion };
  if (header.manufacturer !== state.identity.manufacturer || header.imageType !== state.profile.imageType) {
    return transfer(
      state,
      TRANSFER_OUTCOMES.discarded,
      `image for ${header.manufacturer} type ${header.imageType} is not for this ${state.identity.manufacturer} type ${state.profile.imageType} device`,
      about,
    );
  }
  if (!header.hardwareVersions.includes(state.identity.hardwareVersion) && defect !== 'no-hw-version-check') {
    return transfer(
      state,
      TRANSFER_OUTCOMES.hardwareVersionMismatch,
      `image applies to hardware ${header.hardwareVersions.join(', ')}; this device is hardware ${state.identity.hardwareVersion}`,
      about,
    );
  }
  const key = state.keys.manufacturerPublic;
  const signatureChecked = defect !== 'no-firmware-signature-check';
  if (signatureChecked && (key === undefined || !verifyImageSignature(parsed.image, key))) {
    const detail =
      key === undefined ? 'no manufacturer key to verify images' : "manufacturer's signature does not verify";
    return transfer(
      logSecurity(state, now, FIRMWARE_ALERTS.verificationFailure, `image ${hash}: ${detail}`),
      TRANSFER_OUTCOMES.discarded,
      `image discarded: ${detail}`,
      about,
    );
  }
  const held: HeldImage = {
    hash,
    firmwareVersion: header.firmwareVersion,
    boots: bodyBoots(parsed.image.body),
    receivedAt: now,
  };
  return transfer(
    withFirmware(state, { held }),
    TRANSFER_OUTCOMES.success,
    `image ${header.firmwareVersion} held`,
    about,
  );
}
