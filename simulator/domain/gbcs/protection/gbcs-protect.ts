import { signDeterministic } from '../../smki/key-pair.js';
import type { GbcsMessage } from '../apdu/gbcs-message.js';
import {
  encodeSignedGeneralSigning,
  type GeneralSigningApdu,
  prepareGeneralSigning,
} from '../apdu/general-signing.js';
import { type MacHeaderFrame, macHeaderFrame } from '../apdu/mac-header.js';
import { ecdhSharedSecret } from './ecdh-shared-secret.js';
import { gbcsMacMatches, type MacHeaderFields, writeGbcsMac } from './gbcs-mac.js';
import { signGeneralSigning } from './gbcs-signature.js';
import type { SharedSecretSource } from './shared-secret-cache.js';

/**
 * The two KA keys of a MAC (GBCS.md §4.2 step 1), from the side computing it:
 * - command (CRA 1): the ACB's KA key and the recipient device's, whoever the header originator
 *   is — the ACB uses (ACB private, device public); the device (device private, ACB public);
 * - response (CRA 2): the device's and the command originator's (a User, or the ACB for the ACB form);
 * - MACed alert (CRA 3): the device's and the alert recipient's.
 */
export interface KaKeyPair {
  readonly ownKaPrivateKey: Uint8Array;
  readonly peerKaPublicKey: Uint8Array;
}

function sharedSecret(keys: KaKeyPair, secrets?: SharedSecretSource): Uint8Array {
  return secrets
    ? secrets.sharedSecret(keys.ownKaPrivateKey, keys.peerKaPublicKey)
    : ecdhSharedSecret(keys.ownKaPrivateKey, keys.peerKaPublicKey);
}

/** The whole MAC-headed message (`DD` … MAC) for this APDU. Pass a SharedSecretCache to run ECDH once per key pair. */
export function encodeMacProtected(
  apdu: GeneralSigningApdu,
  keys: KaKeyPair,
  secrets?: SharedSecretSource,
): Uint8Array {
  // Encoded in place in the one array of the whole message (no copy of the APDU into the header).
  const prepared = prepareGeneralSigning(apdu);
  const frame = macHeaderFrame(prepared.length);
  prepared.writeTo(frame.bytes, frame.generalSigningAt);
  macInPlace(frame, apdu, keys, secrets);
  return frame.bytes;
}

/**
 * The MAC of the APDU already written in `frame`, written in the frame's last 12 bytes:
 * encodeMacProtected's work beyond encoding the APDU (the benchmark's MAC unit, bench/sr-limit.ts).
 */
export function macInPlace(
  frame: MacHeaderFrame,
  header: MacHeaderFields,
  keys: KaKeyPair,
  secrets?: SharedSecretSource,
): void {
  const generalSigning = frame.bytes.subarray(frame.generalSigningAt, frame.macAt);
  writeGbcsMac(sharedSecret(keys, secrets), header, generalSigning, frame.bytes, frame.macAt);
}

/**
 * 'valid' or 'invalid' for a MAC-headed message, 'absent' for a bare `DF` message. Never throws:
 * a bad key means 'invalid'. Anti-replay (counter above the last accepted) is the caller's next
 * check, done only after this says 'valid', so a forged message cannot burn counters.
 */
export function checkGbcsMac(
  message: GbcsMessage,
  keys: KaKeyPair,
  secrets?: SharedSecretSource,
): 'valid' | 'invalid' | 'absent' {
  if (message.mac === null) return 'absent';
  try {
    return gbcsMacMatches(sharedSecret(keys, secrets), message.apdu, message.generalSigningBytes, message.mac)
      ? 'valid'
      : 'invalid';
  } catch {
    return 'invalid';
  }
}

/** A device-signed message (bare `DF`): critical responses and critical alerts (§5.4, §5.5). */
export function encodeDeviceSigned(apdu: GeneralSigningApdu, dsPrivateKey: Uint8Array): Uint8Array {
  // Encoded once: the signature is made over the bytes already in place (same bytes as
  // encodeGeneralSigning(signGeneralSigning(apdu, dsPrivateKey))).
  return encodeSignedGeneralSigning(apdu, (signedBytes) => signDeterministic(signedBytes, dsPrivateKey));
}

/**
 * A critical command as it reaches the device (§5.2): signed by the originator's DS key
 * (`dsPrivateKey`: the User, or TransCoS for 6.23), then MACed by the ACB over the signature too.
 */
export function encodeSignedAndMacProtected(
  apdu: GeneralSigningApdu,
  dsPrivateKey: Uint8Array,
  keys: KaKeyPair,
  secrets?: SharedSecretSource,
): Uint8Array {
  return encodeMacProtected(signGeneralSigning(apdu, dsPrivateKey), keys, secrets);
}
