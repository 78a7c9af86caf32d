import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { Eui } from '../../eui.js';
import { ByteReader, hex2 } from '../apdu/byte-reader.js';
import { encodeTransactionId } from '../apdu/general-signing.js';
import { eui } from '../apdu/other-information.js';
import { deriveGbcsKey, gbcsKdfOtherInfo } from './gbcs-mac-key.js';

/**
 * ECS17b payload encryption (GBCS.md §4.3): the DLMS Data Protection "protected attributes"
 * octet string = security control `31` ‖ invocation counter (4) ‖ AES-128-GCM ciphertext ‖
 * 12-byte tag. K from the GBCS KDF with Z = ECDH(device KA, requesting remote party KA) and
 * OtherInfo over the protection parameters' transaction-id `09 04` ‖ the command's counter;
 * IV = device system title ‖ invocation counter; AAD = `31`.
 */
export const PROTECTED_SECURITY_CONTROL = 0x31;
const TAG_LENGTH = 12;

export interface ProtectedAttributesContext {
  /** The ESME (originator of the response). */
  readonly device: Eui;
  /** The remote party that asked (the response's recipient). */
  readonly remoteParty: Eui;
  /** The command's originator counter. */
  readonly counter: bigint;
}

function keyAndIv(
  sharedSecret: Uint8Array,
  context: ProtectedAttributesContext,
  invocationCounter: Uint8Array,
) {
  const otherInfo = gbcsKdfOtherInfo(
    context.device,
    encodeTransactionId(4, context.counter),
    context.remoteParty,
  );
  const iv = new Uint8Array(12);
  iv.set(eui(context.device), 0);
  iv.set(invocationCounter, 8);
  return { key: deriveGbcsKey(sharedSecret, otherInfo), iv };
}

export function encryptProtectedAttributes(
  plaintext: Uint8Array,
  sharedSecret: Uint8Array,
  context: ProtectedAttributesContext,
): Uint8Array {
  const invocationCounter = new Uint8Array(4);
  const { key, iv } = keyAndIv(sharedSecret, context, invocationCounter);
  const gcm = createCipheriv('aes-128-gcm', key, iv, { authTagLength: TAG_LENGTH });
  gcm.setAAD(Uint8Array.of(PROTECTED_SECURITY_CONTROL));
  const ciphertext = Buffer.concat([gcm.update(plaintext), gcm.final()]);
  return Uint8Array.from(
    Buffer.concat([
      Uint8Array.of(PROTECTED_SECURITY_CONTROL),
      invocationCounter,
      ciphertext,
      gcm.getAuthTag(),
    ]),
  );
}

/**
 * The plaintext, or null when the tag does not verify (wrong key or altered bytes). Malformed
 * framing throws GbcsDecodeError at `base + offset`.
 */
export function decryptProtectedAttributes(
  protectedAttributes: Uint8Array,
  sharedSecret: Uint8Array,
  context: ProtectedAttributesContext,
  base = 0,
): Uint8Array | null {
  const reader: ByteReader = new ByteReader(protectedAttributes, base);
  const at = reader.offset;
  const sc = reader.byte('protected attributes security control');
  if (sc !== PROTECTED_SECURITY_CONTROL) {
    reader.fail(
      'protected attributes security control',
      `expected 0x31 (authenticated and encrypted), got 0x${hex2(sc)}`,
      at,
    );
  }
  const invocationCounter = reader.take(4, 'protected attributes invocation counter');
  if (reader.remaining < TAG_LENGTH)
    reader.fail('protected attributes tag', `${TAG_LENGTH} bytes needed, only ${reader.remaining} left`);
  const ciphertext = reader.take(reader.remaining - TAG_LENGTH, 'protected attributes ciphertext');
  const tag = reader.take(TAG_LENGTH, 'protected attributes tag');
  const { key, iv } = keyAndIv(sharedSecret, context, invocationCounter);
  try {
    const gcm = createDecipheriv('aes-128-gcm', key, iv, { authTagLength: TAG_LENGTH });
    gcm.setAAD(Uint8Array.of(PROTECTED_SECURITY_CONTROL));
    gcm.setAuthTag(tag);
    return Uint8Array.from(Buffer.concat([gcm.update(ciphertext), gcm.final()]));
  } catch {
    return null;
  }
}
