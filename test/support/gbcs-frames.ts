import { cborContentCodec } from '../../simulator/adapters/wire/envelope.js';
import type { DeviceType } from '../../simulator/domain/device/device-types.js';
import { euiFromBytes } from '../../simulator/domain/eui.js';
import { dlmsDateTimeFromDate } from '../../simulator/domain/gbcs/apdu/dlms-date-time.js';
import { encodeGeneralSigning, SIGNATURE_EMPTY } from '../../simulator/domain/gbcs/apdu/general-signing.js';
import { messageCodeOnly } from '../../simulator/domain/gbcs/apdu/other-information.js';
import { alertRoute } from '../../simulator/domain/gbcs/use-cases/alert-routing.js';
import type { GbcsPayload } from '../../simulator/domain/messages/gbcs-messages.js';
import {
  writeAlertContent,
  writeCommandContent,
  writeResponseContent,
} from '../../simulator/domain/services/content/wire-content.js';
import { commandMessageCode } from '../../simulator/domain/services/service-catalogue.js';

/**
 * The GBCS APDU (a bare, unprotected general-signing `DF`) for the domain's view of a message:
 * a command or response under its SRV's message code on `deviceType`, a response echoing
 * `inResponseTo`, an alert in the wrapper the alert table gives with the code in its content.
 * For tests where what matters is what a party reads, not whether it trusts it.
 */
export function unprotectedApdu(payload: GbcsPayload, deviceType: DeviceType = 'ESME'): Uint8Array {
  const alert = payload.cra === 3;
  const messageCode = alert
    ? alertRoute(Number.parseInt(payload.messageCode, 16)).messageCode
    : commandMessageCode(payload.messageCode, deviceType, payload.body);
  return encodeGeneralSigning({
    cra: payload.cra === 1 ? 'command' : payload.cra === 2 ? 'response' : 'alert',
    counter: BigInt(payload.cra === 2 ? (payload.inResponseTo ?? payload.counter) : payload.counter),
    originator: euiFromBytes(payload.originator),
    recipient: euiFromBytes(payload.recipient),
    dateTime: dlmsDateTimeFromDate(new Date(payload.dateTime * 1000)),
    otherInformation: messageCodeOnly(messageCode),
    content: alert
      ? writeAlertContent(
          messageCode,
          payload.messageCode,
          payload.body,
          {
            counter: BigInt(payload.counter),
            now: payload.dateTime * 1000,
            device: euiFromBytes(payload.originator),
          },
          cborContentCodec,
        )
      : (payload.cra === 1 ? writeCommandContent : writeResponseContent)(
          messageCode,
          payload.body,
          {
            counter: BigInt(payload.cra === 2 ? (payload.inResponseTo ?? payload.counter) : payload.counter),
            now: payload.dateTime * 1000,
            originator: euiFromBytes(payload.originator),
            recipient: euiFromBytes(payload.recipient),
          },
          cborContentCodec,
        ),
    signature: SIGNATURE_EMPTY,
  });
}
