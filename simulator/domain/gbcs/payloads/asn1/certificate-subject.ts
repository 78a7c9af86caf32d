import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import type { Eui } from '../../../eui.js';
import { readCertificateIdentity } from '../../../smki/certificate-identity.js';

/**
 * What a device takes from a certificate a CS02b command embeds (GBCS.md §7.8): whom it names
 * (the organisation EUI of its subject, SMKI's x500UniqueIdentifier) and its P-256 public key
 * (the BIT STRING of subjectPublicKeyInfo). Undefined when the bytes are not an X.509
 * certificate that names an organisation with a 65-byte uncompressed point: the device then
 * answers badCertificate for that replacement rather than refusing the whole command's format.
 */
export interface CertificateSubject {
  readonly eui: Eui;
  readonly publicKey: Uint8Array;
}

export function readCertificateSubject(der: Uint8Array): CertificateSubject | undefined {
  try {
    const identity = readCertificateIdentity(der);
    if (identity?.kind !== 'organisation') return undefined;
    const publicKey = subjectPublicKey(der);
    return publicKey === undefined ? undefined : { eui: identity.eui, publicKey };
  } catch {
    // readCertificateIdentity throws RangeError on bytes that are not DER; asn1js may throw on a
    // malformed primitive. Either way the device holds no certificate it could read.
    return undefined;
  }
}

/**
 * The key alone (a 65-byte uncompressed point) of a certificate that names no organisation: a new
 * Root's, whose subject is a name and a role, no EUI. Undefined when unreadable.
 */
export function readCertificatePublicKey(der: Uint8Array): Uint8Array | undefined {
  try {
    return subjectPublicKey(der);
  } catch {
    return undefined;
  }
}

function subjectPublicKey(der: Uint8Array): Uint8Array | undefined {
  const parsed = asn1js.fromBER(Uint8Array.from(der));
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return undefined;
  const [tbs] = parsed.result.valueBlock.value;
  if (!(tbs instanceof asn1js.Sequence)) return undefined;
  const fields = tbs.valueBlock.value;
  // version [0] is optional; after it: serial, signature, issuer, validity, subject, SPKI.
  const first = fields[0]?.idBlock.tagClass === 3 ? 1 : 0;
  const spki = fields[first + 5];
  if (!(spki instanceof asn1js.Sequence)) return undefined;
  const bits = spki.valueBlock.value[1];
  if (!(bits instanceof asn1js.BitString) || bits.valueBlock.unusedBits !== 0) return undefined;
  const point = Uint8Array.from(bits.valueBlock.valueHexView);
  return point.length === 65 && point[0] === 0x04 ? point : undefined;
}

/**
 * A subject key identifier as trialsim's SMKI writes it (RFC 5280 §4.2.1.2 method 1: SHA-1 of the
 * public key bits, simulator/pki/certificate-profiles.ts), so a device that keeps only the key of
 * a cell can name the certificate it held. RTDS shows 8-byte identifiers; which method real SMKI
 * certificates use is UNCONFIRMED.
 */
export function subjectKeyIdentifier(publicKey: Uint8Array): Uint8Array {
  return Uint8Array.from(createHash('sha1').update(publicKey).digest());
}
