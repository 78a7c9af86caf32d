import { createPublicKey, X509Certificate } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrialsimError } from '../../simulator/errors.js';
import { keyIdOf } from './signing-key.js';

/**
 * The evidence keys a reviewer trusts: P-256 public keys or certificates (PEM), from files given
 * with `verify --trust FILE` and from a trust store folder (`--trust-store DIR`, or the
 * TRIALSIM_TRUST_STORE environment variable), every `*.pem` in it. A certificate is trusted for
 * the public key it holds: the reviewer chose the file, so its chain and dates are theirs to have
 * checked; trialsim matches keys, it does not run a PKI.
 */
export interface TrustedKey {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  /** Where the reviewer's trust came from: `file.pem` or `file.pem (certificate CN=…)`. */
  readonly source: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

function point(jwk: { crv?: string; x?: string; y?: string }, where: string): Uint8Array {
  if (jwk.crv !== 'P-256' || jwk.x === undefined || jwk.y === undefined) {
    throw new TrialsimError('TRUST_INVALID', `${where}: not a P-256 key (evidence keys are ECDSA P-256)`);
  }
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

/** Every key or certificate in one PEM file (a file may hold several). */
export function parseTrustPem(text: string, file: string): TrustedKey[] {
  const out: TrustedKey[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const [block, label] = match;
    const where = `${file} (${label})`;
    try {
      if (label === 'CERTIFICATE') {
        const cert = new X509Certificate(block);
        const publicKey = point(cert.publicKey.export({ format: 'jwk' }), where);
        out.push({
          keyId: keyIdOf(publicKey),
          publicKey,
          source: `${file} (certificate ${cert.subject.replace(/\n/g, ', ') || 'with an empty subject'})`,
        });
      } else if (label === 'PUBLIC KEY') {
        const publicKey = point(createPublicKey(block).export({ format: 'jwk' }), where);
        out.push({ keyId: keyIdOf(publicKey), publicKey, source: file });
      } else if (label?.includes('PRIVATE KEY')) {
        throw new TrialsimError(
          'TRUST_INVALID',
          `${file}: holds a private key; give verifiers the public key or certificate only`,
        );
      }
    } catch (err) {
      if (err instanceof TrialsimError) throw err;
      throw new TrialsimError('TRUST_INVALID', `${where}: cannot be read (${(err as Error).message})`);
    }
  }
  if (out.length === 0) {
    throw new TrialsimError('TRUST_INVALID', `${file}: no PEM public key or certificate in it`);
  }
  return out;
}

export async function loadTrustFile(file: string): Promise<TrustedKey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new TrialsimError('TRUST_INVALID', `${file}: cannot read (${(err as NodeJS.ErrnoException).code})`);
  }
  return parseTrustPem(text, file);
}

export async function loadTrustStore(dir: string): Promise<TrustedKey[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.pem')).sort();
  } catch (err) {
    throw new TrialsimError(
      'TRUST_INVALID',
      `trust store ${dir}: cannot read (${(err as NodeJS.ErrnoException).code})`,
    );
  }
  const keys: TrustedKey[] = [];
  for (const name of names) keys.push(...(await loadTrustFile(join(dir, name))));
  return keys;
}
