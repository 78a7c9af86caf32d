import { REPLACEMENT_MODES, type ReplacementMode } from '../../device/credential-replacement.js';
import { GbcsEncodeError } from '../../gbcs/apdu/gbcs-codec-error.js';
import {
  decodeFutureDatedCredentialsAlert,
  encodeFutureDatedCredentialsAlert,
} from '../../gbcs/payloads/asn1/cs02b.js';
import { formatMessageCode } from '../../gbcs/use-cases/use-case-catalogue.js';
import type { AlertContent } from './alert-content.js';
import { credentialsOutcome, credentialsOutcomeFields } from './update-security-credentials-content.js';

/**
 * 0x00CB (GBCS.md §7.8): a future-dated CS02b ran (0x8F66) or did not (0x8F67): when it was
 * executed and CS02b's execution outcome — the authorising remote party sequence number (the held
 * command's counter, `commandCounter`), the mode, the floor changes and one outcome per
 * replacement — the same outcome the immediate response carries. Unlike 0x00CA it names the
 * command by that sequence number only.
 */
export const futureDatedCredentialsContent: AlertContent = {
  encode: (alertCode, body, { now }) => {
    if (alertCode !== 0x8f66 && alertCode !== 0x8f67)
      throw new GbcsEncodeError(`0x00CB: alert ${formatMessageCode(alertCode)} is not 0x8F66 or 0x8F67`);
    const mode = REPLACEMENT_MODES.indexOf(body.replacementMode as ReplacementMode);
    if (mode < 0)
      throw new GbcsEncodeError(`0x00CB: "${String(body.replacementMode)}" is no replacement mode`);
    const at = typeof body.executionDateTime === 'string' ? Date.parse(body.executionDateTime) : Number.NaN;
    const counter = typeof body.commandCounter === 'number' ? body.commandCounter : 0;
    return encodeFutureDatedCredentialsAlert({
      alertCode,
      executionDateTime: new Date(Math.floor((Number.isNaN(at) ? now : at) / 1000) * 1000),
      outcome: credentialsOutcome(body, mode, BigInt(counter)),
    });
  },
  decode: (content, offset) => {
    const alert = decodeFutureDatedCredentialsAlert(content, offset);
    return {
      alertCode: formatMessageCode(alert.alertCode),
      ...credentialsOutcomeFields(alert.outcome),
      commandCounter: Number(alert.outcome.authorisingRemotePartySeqNumber),
      executionDateTime: alert.executionDateTime.toISOString(),
    };
  },
};
