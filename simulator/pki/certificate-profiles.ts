import 'reflect-metadata';
import { createHash } from 'node:crypto';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
} from '@peculiar/x509';
import type { Eui } from '../domain/eui.js';
import { deviceSubjectAltName, OID } from '../domain/smki/smki-names.js';

/** The one key usage an SMKI end-entity certificate may carry (DCC.md §7). */
export type KeyUsage = 'digitalSignature' | 'keyAgreement';

const KEY_USAGE_FLAGS: Readonly<Record<KeyUsage, KeyUsageFlags>> = {
  digitalSignature: KeyUsageFlags.digitalSignature,
  keyAgreement: KeyUsageFlags.keyAgreement,
};

/** Builds a certificate's extensions once its key and its issuer's key are known. */
export type ExtensionsFor = (subjectPublicKey: Uint8Array, issuerPublicKey: Uint8Array) => Extension[];

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (here the raw 65-byte point). */
function keyIdentifier(publicKey: Uint8Array): string {
  return createHash('sha1').update(publicKey).digest('hex');
}

export function keyIdentifiers(subjectPublicKey: Uint8Array, issuerPublicKey: Uint8Array): Extension[] {
  return [
    new SubjectKeyIdentifierExtension(keyIdentifier(subjectPublicKey)),
    new AuthorityKeyIdentifierExtension(keyIdentifier(issuerPublicKey)),
  ];
}

/**
 * Root and issuing CA. CAs are exempt from SMKI's one-usage rule (they sign certificates and CRLs),
 * but their key usage stays critical like everyone else's. The issuing CA gets pathLen 0: it may
 * only issue end-entity certificates, which is all an SMKI issuing authority does.
 */
export function authorityExtensions(
  subjectPublicKey: Uint8Array,
  issuerPublicKey: Uint8Array,
  pathLength: number | undefined,
): Extension[] {
  return [
    new BasicConstraintsExtension(true, pathLength, true),
    new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
    ...keyIdentifiers(subjectPublicKey, issuerPublicKey),
  ];
}

/** Organisation certificate: exactly one key usage, critical. The identity lives in the subject. */
export function organisationExtensions(
  usage: KeyUsage,
  subjectPublicKey: Uint8Array,
  issuerPublicKey: Uint8Array,
): Extension[] {
  return [
    new KeyUsagesExtension(KEY_USAGE_FLAGS[usage], true),
    ...keyIdentifiers(subjectPublicKey, issuerPublicKey),
  ];
}

/**
 * Device certificate: exactly one critical key usage, and the EUI in subjectAltName — critical
 * because the subject is empty (RFC 5280 §4.2.1.6 requires it then).
 */
export function deviceExtensions(
  usage: KeyUsage,
  eui: Eui,
  subjectPublicKey: Uint8Array,
  issuerPublicKey: Uint8Array,
): Extension[] {
  return [
    new Extension(OID.subjectAltName, true, deviceSubjectAltName(eui)),
    new KeyUsagesExtension(KEY_USAGE_FLAGS[usage], true),
    ...keyIdentifiers(subjectPublicKey, issuerPublicKey),
  ];
}
