import { createHash } from 'node:crypto';
import type { Eui } from '../../eui.js';
import { encodeCounter, encodeCraFlag, encodeEui } from './context-encoding.js';
import type { GbcsMessageKind } from './message-kind.js';
import { GbcsProtectionError } from './protection-error.js';

// ECDH is shared by the v1 rules here and the real GBCS rules (gbcs-mac-key.ts).
export { ecdhSharedSecret } from './ecdh-shared-secret.js';

/** What a per-message MAC key is bound to (DCC.md §8): who sent it, to whom, what kind, which counter. */
export interface MacKeyContext {
  originator: Eui;
  recipient: Eui;
  kind: GbcsMessageKind;
  /** The originator counter from the message header, uint64. */
  counter: bigint;
}

/**
 * AlgorithmID of the KDF's OtherInfo: the body of the OID 2.16.756.6.8.3.0 (DER content bytes
 * without tag and length). These are the bytes SmartDCCInnovation's gbcs-parser feeds its GBCS
 * KDF; trialsim uses them as a fixed label so a key from this KDF can't collide with any other
 * use of the same shared secret (PROTECTION.md §4.1).
 */
export const KDF_ALGORITHM_ID: readonly number[] = Object.freeze([0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00]);

export const SHARED_SECRET_LENGTH = 32;
export const MAC_KEY_LENGTH = 16;
const OTHER_INFO_LENGTH = KDF_ALGORITHM_ID.length + 8 + 1 + 8 + 8;
/** The KDF's round counter for its first (and only) iteration, 32-bit big-endian. */
const KDF_COUNTER_1 = Uint8Array.of(0x00, 0x00, 0x00, 0x01);

/**
 * The AES-128 MAC key for one message: NIST SP 800-56A concatenation KDF with SHA-256, one
 * iteration (128 bits needed ≤ 256 produced): SHA-256(0x00000001 || Z || OtherInfo)[0..16).
 * OtherInfo binds originator, kind, counter and recipient, so every message gets its own key
 * even though Z between two parties never changes (DCC.md §8).
 */
export function deriveMacKey(sharedSecret: Uint8Array, context: MacKeyContext): Uint8Array {
  if (!(sharedSecret instanceof Uint8Array) || sharedSecret.length !== SHARED_SECRET_LENGTH) {
    throw new GbcsProtectionError(
      'GBCS_INVALID_SHARED_SECRET',
      `shared secret Z must be ${SHARED_SECRET_LENGTH} bytes, got ${describeLength(sharedSecret)}`,
    );
  }
  const digest = createHash('sha256')
    .update(KDF_COUNTER_1)
    .update(sharedSecret)
    .update(macKdfOtherInfo(context))
    .digest();
  return new Uint8Array(digest.subarray(0, MAC_KEY_LENGTH));
}

/**
 * OtherInfo (32 bytes) = AlgorithmID (7) || PartyUInfo: originator EUI (8) ||
 * PartyVInfo: CRA flag (1) || originator counter, big-endian (8) || recipient EUI (8).
 * Exported so test vectors can show it and a C implementer can compare intermediate bytes.
 */
export function macKdfOtherInfo(context: MacKeyContext): Uint8Array {
  const otherInfo = new Uint8Array(OTHER_INFO_LENGTH);
  let at = 0;
  otherInfo.set(KDF_ALGORITHM_ID, at);
  at += KDF_ALGORITHM_ID.length;
  otherInfo.set(encodeEui(context.originator, 'originator'), at);
  at += 8;
  otherInfo[at] = encodeCraFlag(context.kind);
  at += 1;
  otherInfo.set(encodeCounter(context.counter), at);
  at += 8;
  otherInfo.set(encodeEui(context.recipient, 'recipient'), at);
  return otherInfo;
}

function describeLength(value: unknown): string {
  return value instanceof Uint8Array ? `${value.length} bytes` : `a ${typeof value}`;
}
