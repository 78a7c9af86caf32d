import type { Eui } from '../eui.js';
import { decodeGbcsMessage } from '../gbcs/apdu/gbcs-message.js';

/**
 * The SRV a future-dated outcome answers, read from the device's alert as it sent it (DUIS.md
 * §3.1 shape 5: FutureDatedDeviceAlertMessage sits in a ResponseMessage that names the SRV). The
 * GBCS wrapper says which use case ran (GBCS.md §3): 0x00CA a CS06, so 11.3; 0x00CB a CS02b, so
 * 6.15.1, or 6.23 when it went to the DCC's TransCoS party (GBCS.md §5.5). Undefined for any
 * other alert, which stays a DeviceAlertMessage.
 */
export function futureDatedSrvOf(alertApdu: Uint8Array, transCoS?: Eui): string | undefined {
  let wrapper: number;
  let recipient: Eui;
  try {
    const { apdu } = decodeGbcsMessage(alertApdu);
    wrapper = apdu.otherInformation.messageCode;
    recipient = apdu.recipient;
  } catch {
    return undefined;
  }
  if (wrapper === 0x00ca) return '11.3';
  if (wrapper === 0x00cb) return recipient === transCoS ? '6.23' : '6.15.1';
  return undefined;
}
