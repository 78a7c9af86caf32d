import { executingFirmwareChanged, futureDatedActivationDone } from '../dcc/firmware-activation.js';
import type { DeviceAlertHandler } from '../dcc/srv-handler.js';
import { type AlertRecipient, alertName, alertRoute } from '../gbcs/use-cases/alert-routing.js';
import type { GbcsUseCase } from '../gbcs/use-cases/use-case-catalogue.js';
import { gbcsUseCase } from './gbcs-mapping.js';

/**
 * The alerts devices raise as the DCC sees them: the GBCS wrapper, criticality and recipient come
 * from the codec's one alert table (gbcs/use-cases/alert-routing.ts); what this adds is what the
 * DCC does with an alert beyond relaying it.
 */
export interface DeviceAlertDefinition {
  readonly code: string;
  readonly name: string;
  /** The GBCS alert use case that carries it. */
  readonly wrapper: GbcsUseCase;
  /** `supplier`: the device's registered supplier; `acb`: the DCC's Access Control Broker. */
  readonly recipient: AlertRecipient;
  /** DCC behaviour beyond relaying the alert (a future-dated outcome updates the SMI). */
  readonly dcc?: DeviceAlertHandler;
}

/**
 * DCC behaviour by alert code: a future-dated 11.3 that ran, or the device's own news that its
 * executing firmware changed, updates the SMI's firmware (and so trial membership).
 */
const DCC_BEHAVIOUR: ReadonlyMap<string, DeviceAlertHandler> = new Map([
  ['0x8F66', futureDatedActivationDone],
  ['0x8F43', executingFirmwareChanged],
]);

/** The alert as the DCC handles it; `futureDatedUseCase` picks 0x00CA (CS06) or 0x00CB (CS02b). */
export function deviceAlert(code: string, futureDatedUseCase?: 'CS06' | 'CS02b'): DeviceAlertDefinition {
  const numeric = Number.parseInt(code, 16);
  const route = alertRoute(numeric, futureDatedUseCase);
  const dcc = DCC_BEHAVIOUR.get(code.toUpperCase().replace('0X', '0x'));
  return Object.freeze({
    code,
    name: alertName(numeric),
    wrapper: gbcsUseCase(route.messageCode).useCase,
    recipient: route.recipient,
    ...(dcc === undefined ? {} : { dcc }),
  });
}
