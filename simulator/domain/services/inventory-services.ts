import { z } from 'zod';
import {
  commsHubStatusUpdate,
  preNotify,
  readInventoryHandler,
  updateInventory as update,
} from '../dcc/inventory-handlers.js';
import { DEVICE_TYPES } from '../device/device-types.js';
import { deviceIdBody, euiField } from '../duis/body-fields.js';
import type { ServiceModule } from './service-module.js';

/**
 * The DCC's inventory services: handled by the DCC alone (command variant 8), no device, no
 * GBCS. One module each; 8.14.1-4 share a handler.
 */
export const devicePreNotification: ServiceModule = {
  srv: '12.2',
  requestBody: z
    .object({
      deviceId: euiField,
      deviceType: z.enum(DEVICE_TYPES),
      manufacturer: z.string().min(1).max(64),
      model: z.string().min(1).max(64),
      // Not a DUIS field: the DCC takes it from the CPL's Device Model when it is absent (DUIS.md §4.1).
      hardwareVersion: z.string().min(1).max(32).optional(),
      // DCC.md §2: the firmware version in 12.2 is 1–8 characters.
      firmwareVersion: z.string().min(1).max(8),
      // Not a DUIS field: the DCC uses it only where the registration data names no network operator.
      networkOperator: euiField.optional(),
      // DUIS 5.4 DevicePrenotification fields trialsim keeps but does not act on.
      smetsChtsVersion: z.string().min(1).max(20).optional(),
      esmeVariant: z.string().min(1).max(3).optional(),
      associatedGpfDeviceId: euiField.optional(),
    })
    .strict(),
  dcc: { nonDevice: preNotify },
};

export const readInventory: ServiceModule = {
  srv: '8.2',
  requestBody: deviceIdBody,
  dcc: { nonDevice: readInventoryHandler },
};

export const updateInventory: ServiceModule = {
  srv: '8.4',
  requestBody: z
    .object({ deviceId: euiField, status: z.enum(['Pending', 'InstalledNotCommissioned']) })
    .strict(),
  dcc: { nonDevice: update },
};

function commsHubStatus(srv: string): ServiceModule {
  return { srv, requestBody: deviceIdBody, dcc: { nonDevice: commsHubStatusUpdate } };
}

export const commsHubInstallSuccess = commsHubStatus('8.14.1');
export const commsHubInstallNoWan = commsHubStatus('8.14.2');
export const commsHubFaultReturn = commsHubStatus('8.14.3');
export const commsHubNoFaultReturn = commsHubStatus('8.14.4');
