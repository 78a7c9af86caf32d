import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { deriveKeyPair, p256Spki } from '../../simulator/domain/index.js';
import { TrialsimError } from '../../simulator/errors.js';
import { sha256Hex } from './digest.js';

/**
 * The manufacturer's evidence key (ECDSA P-256) that signs the manifest.
 *
 * - `file`: a PKCS#8 or SEC1 PEM private key given with `--signing-key` — the manufacturer's real
 *   key; verifiers get its public key out of band (`trialsim verify --key`).
 * - `test-pki-seed`: no key given. The key is the DS key of the `manufacturer` party of the
 *   deterministic test PKI for the run's seed (label `org/manufacturer/ds`, the key
 *   `trialsim pki --seed <seed>` exports for `manufacturer`). Anyone who knows the seed can derive
 *   it, so it proves integrity and reproducibility, not who signed.
 */
export type SigningKeySource = 'file' | 'test-pki-seed';

export interface EvidenceSigningKey {
  readonly privateKey: Uint8Array;
  /** 65-byte uncompressed point. */
  readonly publicKey: Uint8Array;
  readonly source: SigningKeySource;
}

export const MANUFACTURER_KEY_LABEL = 'org/manufacturer/ds';

export function seedSigningKey(seed: string): EvidenceSigningKey {
  return { ...deriveKeyPair(seed, MANUFACTURER_KEY_LABEL), source: 'test-pki-seed' };
}

export async function loadSigningKey(file: string): Promise<EvidenceSigningKey> {
  const pem = await readKeyFile(file);
  let jwk: { crv?: string; d?: string; x?: string; y?: string };
  try {
    jwk = createPrivateKey(pem).export({ format: 'jwk' }) as typeof jwk;
  } catch (err) {
    throw new TrialsimError(
      'SIGNING_KEY_INVALID',
      `${file}: not a PEM private key (${(err as Error).message})`,
    );
  }
  if (jwk.crv !== 'P-256' || jwk.d === undefined || jwk.x === undefined || jwk.y === undefined) {
    throw new TrialsimError('SIGNING_KEY_INVALID', `${file}: the evidence key must be an ECDSA P-256 key`);
  }
  return {
    privateKey: Buffer.from(jwk.d, 'base64url'),
    publicKey: Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwk.x, 'base64url'),
      Buffer.from(jwk.y, 'base64url'),
    ]),
    source: 'file',
  };
}

/**
 * A P-256 public key from a PEM file: a public key, a certificate, or a private key (whose public
 * half is taken). Returns the 65-byte uncompressed point.
 */
export async function loadPublicKey(file: string): Promise<Uint8Array> {
  const pem = await readKeyFile(file);
  try {
    const key = pem.includes('CERTIFICATE')
      ? new X509Certificate(pem).publicKey
      : pem.includes('PRIVATE KEY')
        ? createPublicKey(createPrivateKey(pem))
        : createPublicKey(pem);
    const jwk = key.export({ format: 'jwk' }) as { crv?: string; x?: string; y?: string };
    if (jwk.crv !== 'P-256' || jwk.x === undefined || jwk.y === undefined) throw new Error('not a P-256 key');
    return Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwk.x, 'base64url'),
      Buffer.from(jwk.y, 'base64url'),
    ]);
  } catch (err) {
    throw new TrialsimError(
      'SIGNING_KEY_INVALID',
      `${file}: not a P-256 public key (${(err as Error).message})`,
    );
  }
}

/** The key id in the DSSE envelope: SHA-256 of the SubjectPublicKeyInfo DER, hex. */
export function keyIdOf(publicKey: Uint8Array): string {
  return sha256Hex(p256Spki(publicKey));
}

export function publicKeyPem(publicKey: Uint8Array): string {
  return createPublicKey({ key: Buffer.from(p256Spki(publicKey)), format: 'der', type: 'spki' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
}

export function publicKeyFromPem(pem: string): Uint8Array {
  const jwk = createPublicKey(pem).export({ format: 'jwk' }) as { x: string; y: string };
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new TrialsimError(
      'SIGNING_KEY_INVALID',
      `${file}: cannot read (${(err as NodeJS.ErrnoException).code})`,
    );
  }
}
