import 'reflect-metadata';
import { createPrivateKey } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { TrialsimError } from '../../../errors.js';
import type { Eui } from '../../eui.js';
import { readCertificateIdentity } from '../../smki/certificate-identity.js';

/**
 * The keys a GBCS verifier or sender needs, by EUI and key usage: DS (digitalSignature) keys
 * sign and verify, KA (keyAgreement) keys derive MAC and encryption keys. Built from PEM
 * certificates and PKCS#8 private keys; the EUI and usage come from each certificate itself
 * (SMKI: organisation EUI in x500UniqueIdentifier, device EUI in hardwareModuleName; exactly one
 * key usage), never from a file name. A private key belongs to the certificate with its public key.
 */
export type KeyUsage = 'ds' | 'ka';

export interface GbcsKeyEntry {
  readonly eui: Eui;
  readonly usage: KeyUsage;
  /** 65-byte uncompressed point. */
  readonly publicKey: Uint8Array;
  /** 32-byte scalar, when the private key was given. */
  readonly privateKey?: Uint8Array;
  /** Where the certificate came from (a file name), for messages. */
  readonly source: string;
}

export interface GbcsKeyStore {
  readonly entries: readonly GbcsKeyEntry[];
  find(eui: Eui, usage: KeyUsage): GbcsKeyEntry | undefined;
}

export class KeystoreError extends TrialsimError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KEYSTORE_INVALID', message, options);
  }
}

export interface PemSource {
  readonly name: string;
  readonly text: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g;
const KEY_USAGE_DIGITAL_SIGNATURE = 1;
const KEY_USAGE_KEY_AGREEMENT = 16;

/** Reads every CERTIFICATE and PRIVATE KEY block in the sources; throws KeystoreError naming the file. */
export function buildKeyStore(sources: readonly PemSource[]): GbcsKeyStore {
  const certificates: GbcsKeyEntry[] = [];
  const privateKeys: { source: string; privateKey: Uint8Array; publicKey: Uint8Array }[] = [];
  for (const { name, text } of sources) {
    for (const match of text.matchAll(PEM_BLOCK)) {
      const [block, label] = match;
      if (label === 'CERTIFICATE') certificates.push(readCertificate(name, block));
      else if (label === 'PRIVATE KEY' || label === 'EC PRIVATE KEY')
        privateKeys.push({ source: name, ...readPrivateKey(name, block) });
    }
  }
  const entries = certificates.map((entry) => {
    const key = privateKeys.find((k) => Buffer.from(k.publicKey).equals(entry.publicKey));
    return key === undefined ? entry : { ...entry, privateKey: key.privateKey };
  });
  return {
    entries,
    find: (eui, usage) => entries.find((e) => e.eui === eui && e.usage === usage),
  };
}

function readCertificate(source: string, pem: string): GbcsKeyEntry {
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(pem);
  } catch (cause) {
    throw new KeystoreError(`${source}: not a readable X.509 certificate`, { cause });
  }
  let identity: ReturnType<typeof readCertificateIdentity>;
  try {
    identity = readCertificateIdentity(new Uint8Array(certificate.rawData));
  } catch (cause) {
    throw new KeystoreError(`${source}: certificate DER is malformed`, { cause });
  }
  if (identity === undefined) {
    throw new KeystoreError(
      `${source}: the certificate names no EUI (neither an SMKI organisation x500UniqueIdentifier nor a device hardwareModuleName)`,
    );
  }
  const usages = certificate.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
  const usage =
    usages === KEY_USAGE_DIGITAL_SIGNATURE ? 'ds' : usages === KEY_USAGE_KEY_AGREEMENT ? 'ka' : undefined;
  if (usage === undefined) {
    throw new KeystoreError(
      `${source}: an SMKI certificate has exactly one key usage, digitalSignature or keyAgreement (got flags ${usages})`,
    );
  }
  const spki = new Uint8Array(certificate.publicKey.rawData);
  return { eui: identity.eui, usage, publicKey: spki.slice(spki.length - 65), source };
}

function readPrivateKey(source: string, pem: string): { privateKey: Uint8Array; publicKey: Uint8Array } {
  try {
    const jwk = createPrivateKey(pem).export({ format: 'jwk' });
    if (jwk.crv !== 'P-256' || jwk.d === undefined || jwk.x === undefined || jwk.y === undefined) {
      throw new KeystoreError(`${source}: not a P-256 private key`);
    }
    const publicKey = Buffer.concat([
      Uint8Array.of(4),
      Buffer.from(jwk.x, 'base64url'),
      Buffer.from(jwk.y, 'base64url'),
    ]);
    return {
      privateKey: Uint8Array.from(Buffer.from(jwk.d, 'base64url')),
      publicKey: Uint8Array.from(publicKey),
    };
  } catch (cause) {
    if (cause instanceof KeystoreError) throw cause;
    throw new KeystoreError(`${source}: not a readable PKCS#8 private key`, { cause });
  }
}
