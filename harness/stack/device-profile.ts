import { DEFAULT_DEVICE_PROFILE, type DeviceProfile } from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { addDuration, parseDuration } from '../../simulator/time/index.js';
import type { DeviceSpec } from './device-spec.js';

/** A device model's `firmware:` block as the device state machine's profile. */
export function deviceProfileOf(spec: DeviceSpec): DeviceProfile {
  const firmware = spec.firmware ?? {};
  let activationMs = DEFAULT_DEVICE_PROFILE.activationMs;
  if (firmware.activationTime !== undefined) {
    try {
      const duration = parseDuration(firmware.activationTime);
      if (duration.unit !== 'ms') throw new RangeError('use seconds, minutes or hours');
      activationMs = addDuration(0, duration);
    } catch (err) {
      throw new TrialsimError(
        'DEVICE_MODEL_INVALID',
        `device ${spec.id}: firmware.activationTime "${firmware.activationTime}": ${(err as Error).message}`,
      );
    }
  }
  return {
    imageType: firmware.imageType ?? DEFAULT_DEVICE_PROFILE.imageType,
    activationMs,
    maxImageBytes: firmware.maxImageBytes ?? DEFAULT_DEVICE_PROFILE.maxImageBytes,
  };
}

/**
 * Which device a device's traffic passes through (DCC.md §6): a GSME its comms hub's GPF (the
 * GPF with the same CHF), any other HAN device its CHF; the CHF and GPF none.
 */
export function upstreamOf(spec: DeviceSpec, all: readonly DeviceSpec[]): string | undefined {
  if (spec.chf === undefined) return undefined;
  if (spec.deviceType === 'GSME') {
    const gpf = all.find((d) => d.deviceType === 'GPF' && d.chf === spec.chf);
    if (gpf !== undefined) return gpf.id;
  }
  return spec.chf;
}
