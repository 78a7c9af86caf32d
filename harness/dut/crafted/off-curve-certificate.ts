import { p256 } from '@noble/curves/nist.js';
import type { OrganisationCredentials } from '../../../simulator/pki/index.js';

/**
 * A copy of an SMKI certificate whose subjectPublicKeyInfo holds a 65-byte uncompressed point that
 * is not on P-256: the subject still names the party, so only a device that validates the key it
 * is asked to trust refuses it (badCertificate, DEV-CS02B-BAD). The issuer's signature no longer
 * matches: replacement-certificates.ts signs the copy again as the Issuing CA, so that the key is
 * the only thing wrong with it.
 */
export function withKeyOffTheCurve(issued: Pick<OrganisationCredentials['ds'], 'der' | 'keys'>): Uint8Array {
  const key = issued.keys.publicKey;
  const at = Buffer.from(issued.der).indexOf(Buffer.from(key));
  if (at < 0) throw new Error('the certificate does not hold its public key verbatim');
  const der = Uint8Array.from(issued.der);
  // Changing y alone leaves x: the first change that falls off the curve (almost always the first).
  for (let delta = 1; delta < 256; delta++) {
    der[at + key.length - 1] = ((key[key.length - 1] ?? 0) + delta) & 0xff;
    if (!onCurve(der.subarray(at, at + key.length))) return der;
  }
  throw new Error('no single-byte change of y took the key off the curve');
}

function onCurve(point: Uint8Array): boolean {
  try {
    p256.Point.fromBytes(point).assertValidity();
    return true;
  } catch {
    return false;
  }
}
