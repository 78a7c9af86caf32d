import type { Eui } from '../../eui.js';
import { sha256 } from '../../smki/sha256.js';
import type { CraKind } from '../apdu/cra-flag.js';
import { GbcsEncodeError } from '../apdu/gbcs-codec-error.js';
import { writeTransactionId } from '../apdu/general-signing.js';
import { eui, writeEui } from '../apdu/other-information.js';

/**
 * The GBCS key derivation (GBCS.md §4.2 steps 2–3), used for MACs and for ECS17b payload
 * encryption (§4.3): K = SHA-256(00000001 ‖ Z ‖ OtherInfo)[0 … 16), one round of the NIST
 * SP 800-56A concatenation KDF.
 */

/** The OtherInfo AlgorithmID prefix, the DER body of OID 2.16.756.6.8.3.0 as GBCS writes it. */
export const GBCS_KDF_ALGORITHM_ID: Readonly<Uint8Array> = Uint8Array.of(
  0x60,
  0x85,
  0x74,
  0x06,
  0x08,
  0x03,
  0x00,
);
export const GBCS_KEY_LENGTH = 16;
export const GBCS_OTHER_INFO_LENGTH = 33;
const KDF_ROUND_1 = Uint8Array.of(0, 0, 0, 1);

/**
 * OtherInfo, 33 bytes: AlgorithmID ‖ originator system title ‖ the transaction-id *with* its
 * length byte (`09` ‖ CRA ‖ counter, 10 bytes) ‖ recipient system title. The `09` is what v1
 * left out; with it the §18.4 vector reproduces.
 */
export function gbcsKdfOtherInfo(originator: Eui, transactionId: Uint8Array, recipient: Eui): Uint8Array {
  if (transactionId.length !== 10 || transactionId[0] !== 0x09) {
    throw new GbcsEncodeError('the KDF takes the 10-byte transaction-id 09 ‖ CRA ‖ counter');
  }
  const out = new Uint8Array(GBCS_OTHER_INFO_LENGTH);
  out.set(GBCS_KDF_ALGORITHM_ID, 0);
  out.set(eui(originator), 7);
  out.set(transactionId, 15);
  out.set(eui(recipient), 25);
  return out;
}

/**
 * The KDF's input, 00000001 ‖ Z ‖ OtherInfo, built here for each key and wiped after: one array
 * for the whole module, because allocating a typed array over 64 bytes costs about as much as
 * the hash (#21). Safe to share: deriving a key is synchronous.
 */
const kdfInput = new Uint8Array(KDF_ROUND_1.length + 32 + GBCS_OTHER_INFO_LENGTH);
const Z_AT = KDF_ROUND_1.length;
const OTHER_INFO_AT = Z_AT + 32;

/** K from the ECDH shared secret Z (32 bytes) and OtherInfo. */
export function deriveGbcsKey(sharedSecret: Uint8Array, otherInfo: Uint8Array): Uint8Array {
  checkSharedSecret(sharedSecret);
  const input =
    otherInfo.length === GBCS_OTHER_INFO_LENGTH
      ? kdfInput
      : new Uint8Array(KDF_ROUND_1.length + sharedSecret.length + otherInfo.length);
  input.set(KDF_ROUND_1, 0);
  input.set(sharedSecret, Z_AT);
  input.set(otherInfo, OTHER_INFO_AT);
  const digest = sha256(input);
  input.fill(0);
  return new Uint8Array(digest.subarray(0, GBCS_KEY_LENGTH));
}

/**
 * The KDF input of deriveGbcsKeyInPlace, its constant parts (the round counter and the
 * AlgorithmID) written once; only Z is wiped after each key.
 */
const inPlaceInput = new Uint8Array(kdfInput.length);
inPlaceInput.set(KDF_ROUND_1, 0);
inPlaceInput.set(GBCS_KDF_ALGORITHM_ID, OTHER_INFO_AT);

/**
 * The same K as deriveGbcsKey(Z, gbcsKdfOtherInfo(originator, encodeTransactionId(cra, counter),
 * recipient)), with each OtherInfo field written straight into the KDF input: every MAC derives
 * a key, and the OtherInfo, transaction-id, counter, system-title and key arrays that route
 * builds were a tenth of a MAC's cost (#21). The key is a view of the digest, to be used at once.
 */
export function deriveGbcsKeyInPlace(
  sharedSecret: Uint8Array,
  originator: Eui,
  cra: CraKind | 4,
  counter: bigint,
  recipient: Eui,
): Uint8Array {
  checkSharedSecret(sharedSecret);
  try {
    inPlaceInput.set(sharedSecret, Z_AT);
    writeEui(originator, inPlaceInput, OTHER_INFO_AT + 7);
    writeTransactionId(cra, counter, inPlaceInput, OTHER_INFO_AT + 15);
    writeEui(recipient, inPlaceInput, OTHER_INFO_AT + 25);
    return sha256(inPlaceInput).subarray(0, GBCS_KEY_LENGTH);
  } finally {
    inPlaceInput.fill(0, Z_AT, OTHER_INFO_AT);
  }
}

function checkSharedSecret(sharedSecret: Uint8Array): void {
  if (sharedSecret.length !== 32) throw new GbcsEncodeError(`Z must be 32 bytes, got ${sharedSecret.length}`);
}
