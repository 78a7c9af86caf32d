import type { DeviceSpec } from '../stack/device-spec.js';

/**
 * The body a scenario's `send` gets when it writes none: what a supplier would fill in from its
 * own records of the device. A scenario's `body` is merged over it.
 */
export function defaultBody(srv: string, device: DeviceSpec | undefined): Record<string, unknown> {
  if (device === undefined) return {};
  switch (srv) {
    case '12.2':
      return {
        deviceId: device.eui,
        deviceType: device.deviceType,
        manufacturer: device.manufacturer,
        model: device.model,
        firmwareVersion: device.firmwareVersion,
        // DUIS's fields only (DUIS.md §4.1): the DCC takes the hardware version from the CPL's
        // Device Model, the network operator from the registration data, and records the comms
        // hub when it answers the 8.11 that whitelists the device.
      };
    case '8.11':
      return { action: 'add', deviceId: device.eui };
    case '8.4':
      return { deviceId: device.eui, status: 'InstalledNotCommissioned' };
    case '8.2':
    case '8.3':
      return { deviceId: device.eui };
    // 11.1's device list defaults to the step's device; `firmwareImage:` names the image
    // (firmware-references.ts turns it into bytes).
    case '11.1':
      return { deviceIds: [device.eui] };
    default:
      return {};
  }
}
