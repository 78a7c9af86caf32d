import { webcrypto } from 'node:crypto';
import { p256PrivateJwk } from '../domain/smki/key-encoding.js';
import type { KeyPair } from '../domain/smki/key-pair.js';
import { signDeterministic } from '../domain/smki/key-pair.js';

/**
 * A WebCrypto for @peculiar/x509 whose ECDSA signatures are deterministic.
 *
 * @peculiar/x509 signs the TBSCertificate with `crypto.subtle.sign`, and WebCrypto's ECDSA draws a
 * fresh random k each time — the same PKI spec would then give different certificate bytes on
 * every run. Here `subtle.sign` for ECDSA P-256/SHA-256 goes to `signDeterministic` (RFC 6979)
 * with the raw scalar remembered for each key imported through `importSigningKey`; everything else
 * is node's own WebCrypto.
 *
 * It is passed to the generator per call rather than installed with `x509.cryptoProvider.set`,
 * so other code in the process keeps the ordinary provider.
 */
export class DeterministicEcdsaCrypto {
  private readonly scalars = new WeakMap<webcrypto.CryptoKey, Uint8Array>();
  readonly subtle: webcrypto.SubtleCrypto;

  constructor() {
    const native = webcrypto.subtle;
    const sign = this.sign.bind(this);
    // A Proxy rather than a subclass: node's SubtleCrypto methods reject any `this` but its own.
    this.subtle = new Proxy(native, {
      get(target, property) {
        if (property === 'sign') return sign;
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  getRandomValues<T extends Exclude<NodeJS.TypedArray, Float32Array | Float64Array>>(array: T): T {
    return webcrypto.getRandomValues(array);
  }

  randomUUID(): `${string}-${string}-${string}-${string}-${string}` {
    return webcrypto.randomUUID();
  }

  /** A non-extractable ECDSA P-256 signing key that this provider will sign with deterministically. */
  async importSigningKey(keys: KeyPair): Promise<webcrypto.CryptoKey> {
    const key = await webcrypto.subtle.importKey(
      'jwk',
      p256PrivateJwk(keys),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    this.scalars.set(key, keys.privateKey);
    return key;
  }

  private async sign(
    algorithm: webcrypto.AlgorithmIdentifier | webcrypto.EcdsaParams,
    key: webcrypto.CryptoKey,
    data: webcrypto.BufferSource,
  ): Promise<ArrayBuffer> {
    const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
    if (name.toUpperCase() !== 'ECDSA') return webcrypto.subtle.sign(algorithm, key, data);
    const scalar = this.scalars.get(key);
    const hash = typeof algorithm === 'string' ? undefined : (algorithm as webcrypto.EcdsaParams).hash;
    const hashName = typeof hash === 'string' ? hash : hash?.name;
    // Refuse rather than fall back: a silent randomised signature would break reproducibility unseen.
    if (scalar === undefined)
      throw new Error('deterministic ECDSA: key was not imported with importSigningKey');
    if (hashName?.toUpperCase() !== 'SHA-256') {
      throw new Error(`deterministic ECDSA: only SHA-256 is supported, got ${String(hashName)}`);
    }
    const signature = signDeterministic(toBytes(data), scalar);
    return signature.buffer.slice(
      signature.byteOffset,
      signature.byteOffset + signature.byteLength,
    ) as ArrayBuffer;
  }
}

function toBytes(data: webcrypto.BufferSource): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
