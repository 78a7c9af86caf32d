import { futureDatedActivationDone } from '../dcc/firmware-activation.js';
import type { DeviceAlertHandler } from '../dcc/srv-handler.js';
import type { GbcsUseCase } from '../gbcs/use-cases/use-case-catalogue.js';
import { gbcsUseCase } from './gbcs-mapping.js';

/**
 * The alerts devices raise, as GBCS carries them: the wrapper use case each alert code travels
 * in, who GBCS sends it to, and what the DCC does with it beyond relaying it. Which wrapper and
 * which recipient an alert code has comes from GBCS tables trialsim's sources only show by
 * example; the choices below follow those examples (GBCS.md §5.5, §11) and are marked so.
 */
export interface DeviceAlertDefinition {
  readonly code: string;
  readonly name: string;
  /** The GBCS alert use case that carries it. */
  readonly wrapper: GbcsUseCase;
  /** `supplier`: the device's registered supplier; `acb`: the DCC's Access Control Broker. */
  readonly recipient: 'supplier' | 'acb' | 'commandOriginator';
  /** DCC behaviour beyond relaying the alert (a future-dated outcome updates the SMI). */
  readonly dcc?: DeviceAlertHandler;
}

const GCA = gbcsUseCase(0x1000).useCase;
const GNCA = gbcsUseCase(0x1001).useCase;
const FDRA = gbcsUseCase(0x00ce).useCase;
const CCS08 = gbcsUseCase(0x0128).useCase;
const FUTURE_DATED_FIRMWARE = gbcsUseCase(0x00ca).useCase;

function alert(
  code: string,
  name: string,
  wrapper: GbcsUseCase,
  recipient: DeviceAlertDefinition['recipient'],
  dcc?: DeviceAlertHandler,
): DeviceAlertDefinition {
  return Object.freeze({ code, name, wrapper, recipient, ...(dcc === undefined ? {} : { dcc }) });
}

const entries: readonly DeviceAlertDefinition[] = [
  // Security alerts a device raises when it refuses a command: Generic Critical Alerts to the
  // Supplier, as RTDS's 0x8F30 example (UNCONFIRMED for the other three codes).
  alert('0x8F1E', 'Integrity check of content or format of command failed', GCA, 'supplier'),
  alert('0x8F3D', 'Trusted source authentication failure', GCA, 'supplier'),
  alert('0x8F30', 'Source does not have authority for command', GCA, 'supplier'),
  alert('0x8F3E', 'Unauthorised communication access attempted', GCA, 'supplier'),
  // 11.1: the comms hub reports the transfer (CCS08, to the ACB); an ESME its verification (FDRA).
  alert('0x8F8A', 'Firmware transfer success', CCS08, 'acb'),
  alert('0x8F89', 'Firmware transfer failure', CCS08, 'acb'),
  alert('0x8F72', 'Firmware verification successful', FDRA, 'supplier'),
  alert('0x8F1C', 'Firmware verification failed', FDRA, 'supplier'),
  // A future-dated 11.3 ran (or did not): 0x00CA to the command's originator.
  alert(
    '0x8F66',
    'Future-dated command actioned',
    FUTURE_DATED_FIRMWARE,
    'commandOriginator',
    futureDatedActivationDone,
  ),
  alert('0x8F67', 'Future-dated command not actioned', FUTURE_DATED_FIRMWARE, 'commandOriginator'),
  alert('0x8F43', 'Change in executing firmware version', GNCA, 'supplier'),
  alert('0x8F70', 'Security credentials updated', GNCA, 'supplier'),
];

export const DEVICE_ALERTS: ReadonlyMap<string, DeviceAlertDefinition> = new Map(
  entries.map((entry) => [entry.code, entry]),
);

/** An alert code trialsim does not list goes as a Generic Non-Critical Alert to the Supplier. */
export function deviceAlert(code: string): DeviceAlertDefinition {
  return DEVICE_ALERTS.get(code) ?? alert(code, 'device alert', GNCA, 'supplier');
}
