import type { DeviceType, Eui } from '../../simulator/domain/index.js';

/** A device to simulate in a run: its identity, and who it belongs to at manufacture. */
export interface DeviceSpec {
  /** The scenario's name for it (`esme1`). */
  readonly id: string;
  readonly eui: Eui;
  readonly deviceType: DeviceType;
  readonly manufacturer: string;
  readonly model: string;
  readonly hardwareVersion: string;
  readonly firmwareVersion: string;
  /** Party name of the supplier whose Supplier trust anchor the device ships with. */
  readonly supplier: string;
  readonly networkOperator: string;
  /** The comms hub's scenario id, for HAN devices. */
  readonly chf: string | undefined;
  /**
   * Already installed and commissioned before the scenario starts (a comms hub installed by the
   * CSP): in the SMI as Commissioned, and the device commissioned.
   */
  readonly preinstalled: boolean;
  /** How the model handles firmware (device model file `firmware:`); defaults when absent. */
  readonly firmware?: DeviceModelFirmware | undefined;
}

/** The `firmware:` block of a device model file (fixtures/device-models/*.yaml). */
export interface DeviceModelFirmware {
  /** The image type in the firmware header that this model accepts (FIRMWARE-IMAGE.md). */
  readonly imageType?: number | undefined;
  /** How long activation (the reboot into the new bank) takes, e.g. "45 s"; default instant. */
  readonly activationTime?: string | undefined;
  /** Largest image the model can store, bytes. */
  readonly maxImageBytes?: number | undefined;
}
