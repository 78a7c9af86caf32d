import { changeOfSupplierCompleted, requestChangeOfSupplier } from './change-of-supplier.js';
import { commissioned, deviceLogUpdated, firmwareReported } from './commissioning-responses.js';
import { decommissionNotice } from './decommission-notice.js';
import { firmwareActivated, futureDatedActivationDone } from './firmware-activation.js';
import { firmwareTransfer, updateFirmware } from './firmware-distribution.js';
import {
  commsHubStatusUpdate,
  decommission,
  preNotify,
  readInventoryHandler,
  updateInventory,
} from './inventory-handlers.js';
import type {
  DeviceAlertHandler,
  DeviceRequestHandler,
  DeviceResponseHandler,
  FollowUpHandler,
  NonDeviceHandler,
} from './srv-handler.js';

/**
 * Where each SRV's DCC-side behaviour lives. The core does access control and the generic
 * asynchronous pattern; these tables add what is particular to an SRV. One line per SRV.
 */
export const NON_DEVICE_HANDLERS: Readonly<Record<string, NonDeviceHandler>> = {
  '12.2': preNotify,
  '8.2': readInventoryHandler,
  '8.4': updateInventory,
  '8.3': decommission,
  '11.1': updateFirmware,
  '8.14.1': commsHubStatusUpdate,
  '8.14.2': commsHubStatusUpdate,
  '8.14.3': commsHubStatusUpdate,
  '8.14.4': commsHubStatusUpdate,
};

export const DEVICE_REQUEST_HANDLERS: Readonly<Record<string, DeviceRequestHandler>> = {
  '6.23': requestChangeOfSupplier,
};

export const DEVICE_RESPONSE_HANDLERS: Readonly<Record<string, DeviceResponseHandler>> = {
  '6.23': changeOfSupplierCompleted,
  '8.1.1': commissioned,
  '8.11': deviceLogUpdated,
  '11.2': firmwareReported,
  '11.3': firmwareActivated,
};

/** Commands a non-device SR sends on after its outcome (srv-handler.ts `sendFollowUp`). */
export const FOLLOW_UP_HANDLERS: Readonly<Record<string, FollowUpHandler>> = {
  '11.1': firmwareTransfer,
  '8.3': decommissionNotice,
};

/** Device alerts the DCC acts on beyond relaying them, by GBCS alert code. */
export const DEVICE_ALERT_HANDLERS: Readonly<Record<string, DeviceAlertHandler>> = {
  '0x8F66': futureDatedActivationDone,
};
