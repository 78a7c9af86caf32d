import {
  createCipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { Encoder, type Options } from 'cbor-x';
import type { Eui } from '../simulator/domain/eui.js';
import { decodeGbcsMessage } from '../simulator/domain/gbcs/apdu/gbcs-message.js';
import {
  encodeGeneralSigning,
  type GeneralSigningApdu,
} from '../simulator/domain/gbcs/apdu/general-signing.js';
import { gbcsMacAad, gbcsMacIv } from '../simulator/domain/gbcs/protection/gbcs-mac.js';
import { sha256 } from '../simulator/domain/smki/sha256.js';
import { type Cost, costPerCall } from './bench-timing.js';

/**
 * The bare primitives an SR's work comes down to, measured on the same inputs as trialsim's own
 * functions (sr-limit.ts): the floor under each wrapper, and the units of the honest limit.
 */
export interface BareCosts {
  /** cbor-x encode + decode of an envelope's value, same settings, no normalising, nesting check or zod. */
  readonly cbor: Cost;
  /** The GBCS codec alone (it is its own floor: there is no faster GBCS reader to compare with), content read by raw cbor-x. */
  readonly gbcsCodec: Cost;
  /** SHA-256 KDF over 00000001 ‖ Z ‖ OtherInfo (one crypto.hash call), then the AES-128-GCM tag over the AAD: one MAC, computed or checked. */
  readonly kdfGcm: Cost;
  /** node:crypto's native ECDSA P-256/SHA-256 signature (random k) with a KeyObject made once. */
  readonly sign: Cost;
  /** node:crypto's native ECDSA verification with a KeyObject made once. */
  readonly verify: Cost;
  /** node:crypto's native ECDH on KeyObjects. */
  readonly ecdh: Cost;
}

export interface BareInputs {
  readonly calls: number;
  /** What the envelopes hand to CBOR. */
  readonly envelopes: readonly unknown[];
  /** One GBCS APDU (a response, as the device sends it). */
  readonly gbcsApdu: GeneralSigningApdu;
  readonly macInput: {
    readonly sharedSecret: Uint8Array;
    readonly originator: Eui;
    readonly generalSigning: Uint8Array;
  };
  readonly signedBytes: Uint8Array;
  readonly ds: { readonly privateKey: Uint8Array; readonly publicKey: Uint8Array };
  readonly ka: {
    readonly own: { readonly privateKey: Uint8Array; readonly publicKey: Uint8Array };
    readonly peer: { readonly privateKey: Uint8Array; readonly publicKey: Uint8Array };
  };
}

const raw = new Encoder({
  useRecords: false,
  variableMapSize: true,
  tagUint8Array: false,
  mapsAsObjects: true,
  int64AsNumber: true,
} as Options);

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** P-256 KeyObjects from a raw scalar and its uncompressed point. */
export function p256KeyObjects(pair: { privateKey: Uint8Array; publicKey: Uint8Array }): {
  privateKey: KeyObject;
  publicKey: KeyObject;
} {
  const x = b64url(pair.publicKey.subarray(1, 33));
  const y = b64url(pair.publicKey.subarray(33, 65));
  return {
    privateKey: createPrivateKey({
      key: { kty: 'EC', crv: 'P-256', x, y, d: b64url(pair.privateKey) },
      format: 'jwk',
    }),
    publicKey: createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' }),
  };
}

export function measureBareCosts(inputs: BareInputs): BareCosts {
  const { calls } = inputs;
  const encoded = inputs.envelopes.map((value) => raw.encode(value));
  const cbor = costPerCall((i) => {
    const at = i % inputs.envelopes.length;
    raw.encode(inputs.envelopes[at]);
    return raw.decode(encoded[at] as Uint8Array);
  }, calls);
  const gbcsCodec = costPerCall(() => {
    const message = decodeGbcsMessage(encodeGeneralSigning(inputs.gbcsApdu));
    return raw.decode(message.apdu.content);
  }, calls);

  // 00000001 ‖ Z ‖ OtherInfo in one array, hashed in one native call (crypto.hash, as the KDF
  // itself now does): the fastest way node has to the same digest, so the floor stays a floor.
  const kdfInput = new Uint8Array(4 + 32 + 33).fill(0x11);
  kdfInput.set(Uint8Array.of(0, 0, 0, 1), 0);
  kdfInput.set(inputs.macInput.sharedSecret, 4);
  const iv = gbcsMacIv(inputs.macInput.originator);
  const aad = gbcsMacAad(inputs.macInput.generalSigning);
  const kdfGcm = costPerCall((i) => {
    kdfInput[kdfInput.length - 1] = i & 0xff; // a fresh key each message, as the transaction-id gives
    const key = sha256(kdfInput).subarray(0, 16);
    const gcm = createCipheriv('aes-128-gcm', key, iv);
    gcm.setAAD(aad);
    gcm.final();
    return gcm.getAuthTag();
  }, calls);

  const ds = p256KeyObjects(inputs.ds);
  const signature = sign('sha256', inputs.signedBytes, { key: ds.privateKey, dsaEncoding: 'ieee-p1363' });
  const signCalls = Math.ceil(calls / 4);
  const signCost = costPerCall(
    () => sign('sha256', inputs.signedBytes, { key: ds.privateKey, dsaEncoding: 'ieee-p1363' }),
    signCalls,
  );
  const verifyCost = costPerCall(
    () => verify('sha256', inputs.signedBytes, { key: ds.publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    signCalls,
  );
  const own = p256KeyObjects(inputs.ka.own);
  const peer = p256KeyObjects(inputs.ka.peer);
  const ecdh = costPerCall(
    () => diffieHellman({ privateKey: own.privateKey, publicKey: peer.publicKey }),
    signCalls,
  );
  return { cbor, gbcsCodec, kdfGcm, sign: signCost, verify: verifyCost, ecdh };
}
