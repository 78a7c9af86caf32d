import type { DccAlert } from '../../messages/duis-messages.js';

/**
 * DCC alert N-codes, in one table (DUIS.md §5.3, §12). Only N24 = UpdateHANDeviceLogResult is
 * sourced; every other pairing of a code with trialsim's alerts is UNCONFIRMED and is trialsim's
 * choice, made here and nowhere else: each alert gets a distinct code from the DUIS 5.4
 * enumeration, so a client can tell them apart, and the DUIS element says what the alert is.
 */
export const DCC_ALERT_CODES: Readonly<Record<Exclude<DccAlert['alert'], 'DeviceAlert'>, string>> = {
  DeviceSuspended: 'N42',
  DeviceRestored: 'N43',
  MeterDecommissioningOrWithdrawal: 'N1',
  DeviceRemovedFromInventory: 'N2',
  FirmwareVersionMismatch: 'N44',
  FirmwareDistributionFailure: 'N12',
  ChangeOfSupplier: 'N27',
  SecurityCredentialsUpdated: 'N28',
};

/** N24 (sourced: a duis-parser test pairs them, and DCC.md agrees). */
export const UPDATE_HAN_DEVICE_LOG_RESULT_CODE = 'N24';
