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
