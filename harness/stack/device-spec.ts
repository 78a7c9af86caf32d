import type { DeviceType } from '../../simulator/domain/device/device-types.js';
import type { Eui } from '../../simulator/domain/eui.js';

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
}
