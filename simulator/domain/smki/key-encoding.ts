import { createPrivateKey, type JsonWebKey } from 'node:crypto';

/**
 * Encodings of P-256 keys that other tools expect: SPKI for certificates and node:crypto, JWK for
 * WebCrypto, PKCS#8 PEM for files. Keys stay raw bytes everywhere else in trialsim because GBCS
 * carries them raw.
 */

/**
 * SubjectPublicKeyInfo { id-ecPublicKey, prime256v1 } header for a 65-byte uncompressed point.
 * Constant for P-256, so prefixing it is cheaper than building a KeyObject just to export SPKI.
 */
const P256_SPKI_PREFIX = Uint8Array.from(
  Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex'),
);

export const P256_UNCOMPRESSED_POINT_LENGTH = 65;
export const P256_SCALAR_LENGTH = 32;

export function isUncompressedP256Point(publicKey: Uint8Array): boolean {
  return publicKey.length === P256_UNCOMPRESSED_POINT_LENGTH && publicKey[0] === 0x04;
}

export function p256Spki(publicKey: Uint8Array): Uint8Array {
  if (!isUncompressedP256Point(publicKey)) {
    throw new RangeError(`a P-256 public key is a 65-byte uncompressed point, got ${publicKey.length} bytes`);
  }
  const spki = new Uint8Array(P256_SPKI_PREFIX.length + publicKey.length);
  spki.set(P256_SPKI_PREFIX);
  spki.set(publicKey, P256_SPKI_PREFIX.length);
  return spki;
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

export function p256PublicJwk(publicKey: Uint8Array): JsonWebKey {
  if (!isUncompressedP256Point(publicKey)) {
    throw new RangeError(`a P-256 public key is a 65-byte uncompressed point, got ${publicKey.length} bytes`);
  }
  return {
    kty: 'EC',
    crv: 'P-256',
    x: base64url(publicKey.subarray(1, 33)),
    y: base64url(publicKey.subarray(33)),
  };
}

export function p256PrivateJwk(keys: { privateKey: Uint8Array; publicKey: Uint8Array }): JsonWebKey {
  return { ...p256PublicJwk(keys.publicKey), d: base64url(keys.privateKey) };
}

/** `-----BEGIN PRIVATE KEY-----` (PKCS#8), the form openssl and most TLS stacks read. */
export function p256Pkcs8Pem(keys: { privateKey: Uint8Array; publicKey: Uint8Array }): string {
  return createPrivateKey({ key: p256PrivateJwk(keys), format: 'jwk' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}
