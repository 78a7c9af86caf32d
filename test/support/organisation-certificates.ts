import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import type { Eui } from '../../simulator/domain/eui.js';
import { deriveKeyPair, type KeyPair } from '../../simulator/domain/smki/key-pair.js';
import type { RemotePartyRole } from '../../simulator/domain/smki/remote-party-roles.js';
import { authoritySubject, organisationSubject } from '../../simulator/domain/smki/smki-names.js';
import { CertificateIssuer } from '../../simulator/pki/certificate-issuer.js';
import {
  authorityExtensions,
  type KeyUsage,
  organisationExtensions,
} from '../../simulator/pki/certificate-profiles.js';
import type { TestPki } from '../../simulator/pki/index.js';

/**
 * SMKI organisation certificates (DER) for keys a test already has, as CS02b embeds them
 * (GBCS.md §7.8): for tests whose parties come from deriveKeyPair rather than a whole test PKI.
 * Issued by a throw-away SMKI (a Root and an Issuing CA under it), or by a test PKI's own Issuing
 * CA: a device validates each certificate up to the Root it holds (replacement-certificate-checks.ts),
 * so a test's device holds `THROW_AWAY_ROOT` in its Root cell, or the stack's Root.
 */
const issuer = new CertificateIssuer(new Date('2026-01-01T00:00:00Z'), new Date('2046-01-01T00:00:00Z'));
const rootSubject = authoritySubject('trialsim test root CA', 'root');
const caSubject = authoritySubject('trialsim test issuing CA', 'issuingAuthority');
/** The throw-away SMKI's Root key: a test device's Root cell, for its certificates to validate. */
export const THROW_AWAY_ROOT: KeyPair = deriveKeyPair('test/organisation-certificates', 'root');
/** The throw-away Issuing CA's key: for a test that re-signs an edited certificate as the CA would. */
export const THROW_AWAY_ISSUING_CA: KeyPair = deriveKeyPair('test/organisation-certificates', 'issuing-ca');
let serial = 0x1000;

/** An Issuing CA to certify with: its subject (DER Name) and its keys. */
export interface IssuingCa {
  readonly subject: Uint8Array;
  readonly keys: KeyPair;
}

/** A test PKI's Issuing CA, so a certificate for a fresh key validates on the stack's devices. */
export function issuingCaOf(pki: TestPki): IssuingCa {
  const subject = new Uint8Array(new X509Certificate(pki.issuingCa.der).subjectName.toArrayBuffer());
  return { subject, keys: pki.issuingCa.keys };
}

export async function organisationCertificate(
  party: { readonly eui: Eui; readonly role: RemotePartyRole; readonly name?: string },
  usage: KeyUsage,
  keys: KeyPair,
  ca: IssuingCa = { subject: caSubject, keys: THROW_AWAY_ISSUING_CA },
): Promise<Uint8Array> {
  const authority = await issuer.authority(ca.subject, ca.keys);
  const { der } = await issuer.issue({
    serialNumber: (serial++).toString(16),
    subject: organisationSubject(party.name ?? party.eui, party.role, party.eui),
    publicKey: keys.publicKey,
    issuer: authority,
    extensions: organisationExtensions(usage, keys.publicKey, ca.keys.publicKey),
  });
  return der;
}

/** The throw-away Issuing CA's certificate, signed by its Root: the certification path, and a certificate naming no organisation. */
export async function issuingCaCertificate(): Promise<Uint8Array> {
  const authority = await issuer.authority(rootSubject, THROW_AWAY_ROOT);
  const { der } = await issuer.issue({
    serialNumber: '01',
    subject: caSubject,
    publicKey: THROW_AWAY_ISSUING_CA.publicKey,
    issuer: authority,
    extensions: authorityExtensions(THROW_AWAY_ISSUING_CA.publicKey, THROW_AWAY_ROOT.publicKey, 0),
  });
  return der;
}

/**
 * A self-signed Root certificate for `keys` (OU 00, cA, keyCertSign | cRLSign, critical), as
 * SMKI issues a Root: what a CS02b Root replacement installs (root-certificate-checks.ts).
 * `signer` signs it instead of `keys` itself, for a Root that is not self-signed.
 */
export async function rootCertificate(
  keys: KeyPair,
  options: { readonly signer?: KeyPair; readonly role?: RemotePartyRole; readonly notAfter?: Date } = {},
): Promise<Uint8Array> {
  const signer = options.signer ?? keys;
  const subject = authoritySubject('trialsim test next root CA', options.role ?? 'root');
  const rootIssuer =
    options.notAfter === undefined
      ? issuer
      : new CertificateIssuer(new Date('2026-01-01T00:00:00Z'), options.notAfter);
  const { der } = await rootIssuer.issue({
    serialNumber: (serial++).toString(16),
    subject,
    publicKey: keys.publicKey,
    issuer: await rootIssuer.authority(subject, signer),
    extensions: authorityExtensions(keys.publicKey, signer.publicKey, undefined),
  });
  return der;
}

/** An Issuing CA certificate for `ca` signed by `root`: the path under another Root. */
export async function issuingCaCertificateUnder(
  root: KeyPair,
  ca: KeyPair = THROW_AWAY_ISSUING_CA,
): Promise<Uint8Array> {
  const authority = await issuer.authority(authoritySubject('trialsim test next root CA', 'root'), root);
  const { der } = await issuer.issue({
    serialNumber: (serial++).toString(16),
    subject: caSubject,
    publicKey: ca.publicKey,
    issuer: authority,
    extensions: authorityExtensions(ca.publicKey, root.publicKey, 0),
  });
  return der;
}
