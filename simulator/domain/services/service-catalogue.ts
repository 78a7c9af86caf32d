import type { DeviceType } from '../device/device-types.js';
import { privateMessageCode } from '../gbcs/wire/trialsim-profile.js';
import { activateFirmware } from './activate-firmware.js';
import { changeOfSupplierCredentials } from './change-of-supplier-credentials.js';
import { commissionDevice } from './commission-device.js';
import { decommissionDevice } from './decommission-device.js';
import {
  commsHubFaultReturn,
  commsHubInstallNoWan,
  commsHubInstallSuccess,
  commsHubNoFaultReturn,
  devicePreNotification,
  readInventory,
  updateInventory,
} from './inventory-services.js';
import { readDeviceLog } from './read-device-log.js';
import { readEventOrSecurityLog } from './read-event-or-security-log.js';
import { readFirmwareVersion } from './read-firmware-version.js';
import { readImportRegisters } from './read-import-registers.js';
import type { DeviceExecution, ServiceModule } from './service-module.js';
import { updateFirmware } from './update-firmware.js';
import { updateHanDeviceLog } from './update-han-device-log.js';
import { updateSecurityCredentials } from './update-security-credentials.js';

/**
 * Every service request trialsim implements, one module each (service-module.ts). To add one:
 * write its module and add it here. Access control's eligibility rules for it (roles, device
 * types, SMI statuses) are its line in duis/srv-catalogue.ts.
 */
const SERVICES: readonly ServiceModule[] = [
  devicePreNotification,
  readInventory,
  updateInventory,
  updateHanDeviceLog,
  readDeviceLog,
  commissionDevice,
  decommissionDevice,
  commsHubInstallSuccess,
  commsHubInstallNoWan,
  commsHubFaultReturn,
  commsHubNoFaultReturn,
  updateSecurityCredentials,
  changeOfSupplierCredentials,
  readEventOrSecurityLog,
  updateFirmware,
  readFirmwareVersion,
  activateFirmware,
  readImportRegisters,
];

export const SERVICE_CATALOGUE: ReadonlyMap<string, ServiceModule> = new Map(
  SERVICES.map((service) => [service.srv, service]),
);

export function lookupService(srv: string): ServiceModule | undefined {
  return SERVICE_CATALOGUE.get(srv);
}

/** What a device does with a command, by the SRV its message code names; undefined: not supported. */
export function deviceExecution(messageCode: string): DeviceExecution | undefined {
  return SERVICE_CATALOGUE.get(messageCode)?.device;
}

/**
 * The GBCS message code a command for this SRV carries to this device type: the use case of its
 * service module, or the SRV's trialsim-profile code when GBCS has none (gbcs/wire/trialsim-profile.ts).
 */
export function commandMessageCode(
  srv: string,
  deviceType: DeviceType,
  body: Readonly<Record<string, unknown>>,
): number {
  const mapped = SERVICE_CATALOGUE.get(srv)?.gbcs?.(deviceType, body);
  const code = mapped?.useCase?.messageCode ?? privateMessageCode(srv);
  if (code === undefined) throw new Error(`no message code for SRV ${srv} on a ${deviceType}`);
  return code;
}

/** Who originates the command in the GBCS header: the User, the ACB (ACB form) or TransCoS. */
export function commandOriginator(
  srv: string,
  deviceType: DeviceType,
  body: Readonly<Record<string, unknown>>,
): 'user' | 'acb' | 'transCoS' {
  const mapped = SERVICE_CATALOGUE.get(srv)?.gbcs?.(deviceType, body);
  return mapped?.useCase === undefined ? 'user' : mapped.originator;
}
