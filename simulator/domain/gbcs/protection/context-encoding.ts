import { type Eui, euiToBytes, isEui } from '../../eui.js';
import { CRA_FLAG, type GbcsMessageKind, isGbcsMessageKind } from './message-kind.js';
import { GbcsProtectionError } from './protection-error.js';

/**
 * Byte encodings of the MAC context fields, shared by the KDF's OtherInfo and the GCM IV so
 * the two can never disagree (PROTECTION.md §2). The fields may come from a parsed header, so
 * each is checked at run time even though the types already say what is allowed.
 */

const UINT64_MAX = 0xffff_ffff_ffff_ffffn;

/** The originator counter as 8 bytes, big-endian (DCC.md §8: an 8-byte originator counter). */
export function encodeCounter(counter: bigint): Uint8Array {
  if (typeof counter !== 'bigint' || counter < 0n || counter > UINT64_MAX) {
    throw new GbcsProtectionError(
      'GBCS_INVALID_CONTEXT',
      `originator counter must be a bigint in [0, 2^64 - 1], got ${String(counter)}`,
    );
  }
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, counter, false);
  return bytes;
}

/** An EUI-64 as its 8 bytes, most significant octet first (as written, left to right). */
export function encodeEui(eui: Eui, role: 'originator' | 'recipient'): Uint8Array {
  if (typeof eui !== 'string' || !isEui(eui)) {
    throw new GbcsProtectionError(
      'GBCS_INVALID_CONTEXT',
      `${role} must be an EUI-64 like 90-B3-D5-1F-30-01-00-00, got ${JSON.stringify(eui)}`,
    );
  }
  return euiToBytes(eui);
}

/** The CRA flag byte of a message kind (1 command, 2 response, 3 alert). */
export function encodeCraFlag(kind: GbcsMessageKind): number {
  if (!isGbcsMessageKind(kind)) {
    throw new GbcsProtectionError(
      'GBCS_INVALID_CONTEXT',
      `message kind must be command, response or alert, got ${JSON.stringify(kind)}`,
    );
  }
  return CRA_FLAG[kind];
}
