import {
  deriveKeyPair,
  REMOTE_PARTY_ROLE_CODES,
  type RemotePartyRole,
} from '../../../simulator/domain/index.js';
import type { OrganisationCredentials, TestPki } from '../../../simulator/pki/index.js';
import { withKeyOffTheCurve } from './off-curve-certificate.js';
import {
  resignedCertificate,
  withoutCertificateSigning,
  withPublicKey,
  withSubjectRole,
  withValidity,
} from './resigned-certificate.js';
import { nextRootKeys } from './root-certificates.js';

/**
 * The certificate a conformance case puts into a CS02b replacement (GBCS.md §7.8): a good one, or
 * one that differs from it in exactly the way a device must notice. Each bad one is signed so that
 * only its own fault is wrong, so a device that checks everything but that one thing accepts it.
 */
export const CERTIFICATE_VARIANTS = [
  'issued',
  'keyNotOnCurve',
  'forgedIssuer',
  'ownRole',
  'swappedKeyUsage',
  'expired',
  'rogueIssuingCa',
  'issuingCaNotCa',
  'issuingCaExpired',
  'underNextRoot',
] as const;
export type CertificateVariant = (typeof CERTIFICATE_VARIANTS)[number];

export const CERTIFICATE_VARIANT_HELP =
  "issued: the party's keys certified by the Issuing CA for the cells' role (its own SMKI certificate when the roles agree); " +
  'keyNotOnCurve: the same with a public key that is no P-256 point, signed by the Issuing CA; ' +
  'forgedIssuer: the same signed by a key that is not the Issuing CA (naming it as issuer); ' +
  "ownRole: the party's own certificate, whose OU names its role, not the cells'; " +
  'swappedKeyUsage: the KA certificate into the DS cell and the DS one into the KA cell; ' +
  'expired: the issued certificate with a validity that ended in 2021, signed by the Issuing CA; ' +
  "rogueIssuingCa: the issued certificate signed by a rogue Issuing CA of the same name, whose CA certificate (in the path instead of the real one) the device's Root never signed; " +
  "issuingCaNotCa: the issued certificate, its Issuing CA's certificate in the path signed by the Root but with digitalSignature key usage, not keyCertSign; " +
  "issuingCaExpired: the issued certificate, its Issuing CA's certificate in the path signed by the Root with a validity that ended in 2021; " +
  "underNextRoot: the issued certificate, its Issuing CA's certificate in the path signed by the new Root of a Root replacement (newRoot selfSigned) instead of the run's Root";

type Usage = 'digitalSignature' | 'keyAgreement';

/** The party's `usage` certificate as the Issuing CA would issue it for a `role` cell. */
function issuedFor(pki: TestPki, org: OrganisationCredentials, role: RemotePartyRole, usage: Usage) {
  const own = usage === 'digitalSignature' ? org.ds : org.ka;
  if (org.role === role) return own;
  const der = resignedCertificate(
    own.der,
    pki.issuingCa.keys.privateKey,
    withSubjectRole(REMOTE_PARTY_ROLE_CODES[role]),
  );
  return { der, keys: own.keys };
}

/** An expired certificate's validity: long over by any run's clock. */
const EXPIRED_FROM = new Date('2020-01-01T00:00:00Z');
const EXPIRED_UNTIL = new Date('2021-01-01T00:00:00Z');

/**
 * A rogue Issuing CA: the real one's certificate (its name, extensions, everything) certifying a
 * key of the forger's, signed by a Root of the forger's. Only that signature is wrong: a device
 * that never checks its Issuing CA against its own Root trusts what the rogue CA signs.
 */
function rogueIssuingCa(pki: TestPki) {
  const keys = deriveKeyPair(pki.seed, 'rogue/issuing-ca');
  const der = resignedCertificate(
    pki.issuingCa.der,
    deriveKeyPair(pki.seed, 'rogue/root').privateKey,
    withPublicKey(pki.issuingCa.keys.publicKey, keys.publicKey),
  );
  return { der, keys };
}

/** The certification path a replacement of this variant travels with (the Issuing CA's, but two). */
export function certificationPathFor(pki: TestPki, variant: CertificateVariant): Uint8Array[] {
  if (variant === 'rogueIssuingCa') return [rogueIssuingCa(pki).der];
  // The real Issuing CA's certificate, signed again by the Root with one thing wrong.
  const rootKey = pki.root.keys.privateKey;
  if (variant === 'issuingCaNotCa')
    return [resignedCertificate(pki.issuingCa.der, rootKey, withoutCertificateSigning)];
  if (variant === 'issuingCaExpired')
    return [resignedCertificate(pki.issuingCa.der, rootKey, withValidity(EXPIRED_FROM, EXPIRED_UNTIL))];
  // The same Issuing CA, certified again by the new Root: what the SMKI would issue after a Root
  // replacement, and what a device that now holds that Root must accept.
  if (variant === 'underNextRoot')
    return [resignedCertificate(pki.issuingCa.der, nextRootKeys(pki).privateKey)];
  return [pki.issuingCa.der];
}

export function replacementCertificate(
  pki: TestPki,
  org: OrganisationCredentials,
  role: RemotePartyRole,
  usage: Usage,
  variant: CertificateVariant,
): Uint8Array {
  switch (variant) {
    case 'issued':
    case 'issuingCaNotCa':
    case 'issuingCaExpired':
    case 'underNextRoot':
      return issuedFor(pki, org, role, usage).der;
    case 'keyNotOnCurve':
      return resignedCertificate(
        withKeyOffTheCurve(issuedFor(pki, org, role, usage)),
        pki.issuingCa.keys.privateKey,
      );
    case 'forgedIssuer':
      return resignedCertificate(
        issuedFor(pki, org, role, usage).der,
        deriveKeyPair(pki.seed, 'forger/issuing-ca').privateKey,
      );
    case 'ownRole':
      return (usage === 'digitalSignature' ? org.ds : org.ka).der;
    case 'swappedKeyUsage':
      return issuedFor(pki, org, role, usage === 'digitalSignature' ? 'keyAgreement' : 'digitalSignature')
        .der;
    case 'expired':
      return resignedCertificate(
        issuedFor(pki, org, role, usage).der,
        pki.issuingCa.keys.privateKey,
        withValidity(EXPIRED_FROM, EXPIRED_UNTIL),
      );
    case 'rogueIssuingCa':
      return resignedCertificate(issuedFor(pki, org, role, usage).der, rogueIssuingCa(pki).keys.privateKey);
  }
}
