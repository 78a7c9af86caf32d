import 'reflect-metadata';
import { isIP } from 'node:net';
import {
  BasicConstraintsExtension,
  ExtendedKeyUsage,
  ExtendedKeyUsageExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  Name,
  SubjectAlternativeNameExtension,
} from '@peculiar/x509';
import { p256Pkcs8Pem } from '../domain/smki/key-encoding.js';
import { deriveKeyPair } from '../domain/smki/key-pair.js';
import { CertificateIssuer } from './certificate-issuer.js';
import { authorityExtensions, keyIdentifiers } from './certificate-profiles.js';
import { deriveSerialNumber } from './serial-number.js';

/**
 * TLS for the DUIS endpoint is a transport matter, outside SMKI: these certificates live under
 * their own key labels (`tls/…`) and names, so turning HTTPS on changes no SMKI certificate.
 */
const CA_LABEL = 'tls/duis-ca';
const SERVER_LABEL = 'tls/duis-server';

/**
 * Fixed validity rather than the scenario's: a TLS client checks it against the wall clock, not
 * virtual time, and the certificates must not change with the day they are made (same seed,
 * same bytes). 2024-01-01 to 2049-12-31 covers any run of this project's lifetime.
 */
const NOT_BEFORE = new Date(Date.UTC(2024, 0, 1));
const NOT_AFTER = new Date(Date.UTC(2049, 11, 31, 23, 59, 59));

/** The loopback names every DUIS server certificate carries, whatever address it binds. */
export const LOOPBACK_NAMES: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

export interface DuisTlsCredentials {
  /** The test TLS CA a DUIS client trusts (PEM); it signs only the server certificate. */
  readonly caPem: string;
  /** The DUIS endpoint's certificate (PEM), its subjectAltName the loopback names and `hosts`. */
  readonly certPem: string;
  /** The server certificate's private key (PKCS#8 PEM). */
  readonly keyPem: string;
}

/** Addresses a listener binds that no client dials (all interfaces): no name for a certificate. */
function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/**
 * A test TLS CA and the DUIS endpoint's server certificate, keys and serials derived from `seed`
 * (deterministic ECDSA, fixed validity), so the same seed gives the same bytes on every machine
 * and another seed other ones. The server certificate names the loopback addresses and `localhost`
 * plus each of `hosts` (the address `up` binds) that is a real name or address.
 */
export async function generateDuisTlsCredentials(
  seed: string,
  hosts: readonly string[] = [],
): Promise<DuisTlsCredentials> {
  const issuer = new CertificateIssuer(NOT_BEFORE, NOT_AFTER);
  const caKeys = deriveKeyPair(seed, CA_LABEL);
  const caSubject = new Uint8Array(new Name('CN=trialsim DUIS TLS test CA, O=trialsim').toArrayBuffer());
  const caAuthority = await issuer.authority(caSubject, caKeys);
  // pathLen 0: the CA signs the server certificate and nothing below it.
  const ca = await issuer.issue({
    serialNumber: deriveSerialNumber(seed, CA_LABEL),
    subject: caSubject,
    publicKey: caKeys.publicKey,
    issuer: caAuthority,
    extensions: authorityExtensions(caKeys.publicKey, caKeys.publicKey, 0),
  });

  const names = [...new Set([...LOOPBACK_NAMES, ...hosts.filter((h) => !isWildcard(h))])];
  const serverKeys = deriveKeyPair(seed, SERVER_LABEL);
  const server = await issuer.issue({
    serialNumber: deriveSerialNumber(seed, SERVER_LABEL),
    subject: new Uint8Array(new Name('CN=trialsim DUIS endpoint, O=trialsim').toArrayBuffer()),
    publicKey: serverKeys.publicKey,
    issuer: caAuthority,
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
      new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth]),
      new SubjectAlternativeNameExtension(
        names.map((name) => ({ type: isIP(name) === 0 ? 'dns' : 'ip', value: name })),
      ),
      ...keyIdentifiers(serverKeys.publicKey, caKeys.publicKey),
    ],
  });
  return { caPem: ca.pem, certPem: server.pem, keyPem: p256Pkcs8Pem(serverKeys) };
}
