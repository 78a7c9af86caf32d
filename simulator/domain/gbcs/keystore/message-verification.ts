import type { Eui } from '../../eui.js';
import type { GbcsMessage } from '../apdu/gbcs-message.js';
import { checkGbcsMac } from '../protection/gbcs-protect.js';
import { checkGbcsSignature } from '../protection/gbcs-signature.js';
import type { SharedSecretSource } from '../protection/shared-secret-cache.js';
import type { GbcsKeyStore } from './gbcs-keystore.js';

export type ProtectionStatus = 'valid' | 'invalid' | 'unknown' | 'absent';

export interface MessageVerification {
  readonly mac: ProtectionStatus;
  readonly signature: ProtectionStatus;
  /** Why a status is 'unknown': which key was missing. */
  readonly notes: readonly string[];
}

/**
 * Checks a decoded message's MAC and signature with whatever keys the store holds, as a
 * third party (the decoder CLI) would. The MAC peers follow GBCS.md §4.2: a command is MACed
 * between the ACB and the recipient whoever originated it; a response or alert between its
 * originator and recipient. Either side's private key with the other's certificate will do.
 */
export function verifyWithKeyStore(
  message: GbcsMessage,
  keys: GbcsKeyStore,
  acb: Eui,
  secrets?: SharedSecretSource,
): MessageVerification {
  const notes: string[] = [];
  let mac: ProtectionStatus = 'absent';
  if (message.mac !== null) {
    const [a, b] =
      message.apdu.cra === 'command'
        ? [acb, message.apdu.recipient]
        : [message.apdu.originator, message.apdu.recipient];
    const ka = [keys.find(a, 'ka'), keys.find(b, 'ka')];
    const [first, second] = ka;
    const pair =
      first?.privateKey && second
        ? { ownKaPrivateKey: first.privateKey, peerKaPublicKey: second.publicKey }
        : second?.privateKey && first
          ? { ownKaPrivateKey: second.privateKey, peerKaPublicKey: first.publicKey }
          : undefined;
    if (pair === undefined) {
      mac = 'unknown';
      notes.push(`MAC: needs the KA private key of ${a} or ${b} and the other's KA certificate`);
    } else {
      mac = checkGbcsMac(message, pair, secrets);
    }
  }
  let signature: ProtectionStatus = 'absent';
  if (message.apdu.signature.kind === 'signed') {
    const ds = keys.find(message.apdu.originator, 'ds');
    if (ds === undefined) {
      signature = 'unknown';
      notes.push(`signature: needs the DS certificate of ${message.apdu.originator}`);
    } else {
      signature = checkGbcsSignature(message.signedBytes, message.apdu, ds.publicKey);
    }
  }
  return { mac, signature, notes };
}
