import { deriveKeyPair } from '../../../simulator/domain/index.js';
import type { TestPki } from '../../../simulator/pki/index.js';
import { resignedCertificate, withoutCertificateSigning, withPublicKey } from './resigned-certificate.js';

/**
 * The certificate a conformance case puts into the device's Root cell with a CS02b Root
 * replacement (rootBySupplier …; root-certificate-checks.ts): a good new Root, or one that differs
 * from it in exactly the one way a device must notice.
 */
export const ROOT_VARIANTS = ['selfSigned', 'notSelfSigned', 'notCa'] as const;
export type RootVariant = (typeof ROOT_VARIANTS)[number];

export const ROOT_VARIANT_HELP =
  "selfSigned: the run's Root certificate (name, OU 00, cA, keyCertSign) certifying a new key and signed by it; " +
  'notSelfSigned: the same signed by another key; ' +
  'notCa: the same, self-signed, with digitalSignature key usage instead of keyCertSign';

/** The new Root's key: what the device's Root cell holds after a good replacement. */
export function nextRootKeys(pki: TestPki) {
  return deriveKeyPair(pki.seed, 'next-root');
}

export function rootCertificate(pki: TestPki, variant: RootVariant): Uint8Array {
  const next = nextRootKeys(pki);
  const rekeyed = withPublicKey(pki.root.keys.publicKey, next.publicKey);
  switch (variant) {
    case 'selfSigned':
      return resignedCertificate(pki.root.der, next.privateKey, rekeyed);
    case 'notSelfSigned':
      return resignedCertificate(pki.root.der, deriveKeyPair(pki.seed, 'forger/root').privateKey, rekeyed);
    case 'notCa':
      return resignedCertificate(pki.root.der, next.privateKey, (tbs) =>
        withoutCertificateSigning(rekeyed(tbs)),
      );
  }
}
