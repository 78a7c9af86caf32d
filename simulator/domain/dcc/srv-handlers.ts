import { commissioned, deviceLogUpdated, firmwareReported } from './commissioning-responses.js';
import { decommission, preNotify, readInventoryHandler, updateInventory } from './inventory-handlers.js';
import type { DeviceRequestHandler, DeviceResponseHandler, NonDeviceHandler } from './srv-handler.js';

/**
 * Where each SRV's DCC-side behaviour lives. The core does access control and the generic
 * asynchronous pattern; these tables add what is particular to an SRV. One line per SRV.
 */
export const NON_DEVICE_HANDLERS: Readonly<Record<string, NonDeviceHandler>> = {
  '12.2': preNotify,
  '8.2': readInventoryHandler,
  '8.4': updateInventory,
  '8.3': decommission,
};

export const DEVICE_REQUEST_HANDLERS: Readonly<Record<string, DeviceRequestHandler>> = {};

export const DEVICE_RESPONSE_HANDLERS: Readonly<Record<string, DeviceResponseHandler>> = {
  '8.1.1': commissioned,
  '8.11': deviceLogUpdated,
  '11.2': firmwareReported,
  '11.3': firmwareReported,
};
