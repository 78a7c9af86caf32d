import type { Eui } from '../../eui.js';
import type { DlmsDateTime } from './dlms-date-time.js';
import { type GeneralSigningApdu, SIGNATURE_EMPTY } from './general-signing.js';
import type { OtherInformation } from './other-information.js';

/**
 * The response to a command, as GBCS.md §5.4 has it: CRA 2, the command's originator counter
 * echoed, the device as originator and the command's originator as recipient, and the command's
 * other-information repeated (so an ACB-form response names the User and its counter too).
 * Signature field `00`; sign it with `signGeneralSigning` for a critical command's response.
 * `dateTime` is the device's time for the use cases whose responses carry one (ECS17b, CS06, CS02b).
 */
export function responseTo(
  command: Pick<GeneralSigningApdu, 'counter' | 'originator' | 'recipient' | 'otherInformation'>,
  content: Uint8Array,
  dateTime: DlmsDateTime | null = null,
): GeneralSigningApdu {
  return {
    cra: 'response',
    counter: command.counter,
    originator: command.recipient,
    recipient: command.originator,
    dateTime,
    otherInformation: command.otherInformation,
    content,
    signature: SIGNATURE_EMPTY,
  };
}

/** An alert (CRA 3) with the device's own alert counter (§5.5); never a command's counter. */
export function alertFrom(
  device: Eui,
  recipient: Eui,
  alertCounter: bigint,
  otherInformation: OtherInformation,
  content: Uint8Array,
  dateTime: DlmsDateTime | null = null,
): GeneralSigningApdu {
  return {
    cra: 'alert',
    counter: alertCounter,
    originator: device,
    recipient,
    dateTime,
    otherInformation,
    content,
    signature: SIGNATURE_EMPTY,
  };
}
