import 'reflect-metadata';
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509Certificate,
} from '@peculiar/x509';
import * as asn1js from 'asn1js';
import { readCertificateIdentity, readSubjectRoleCode } from '../smki/certificate-identity.js';

/**
 * Reading and verifying the certificates a CS02b brings (GBCS.md §7.8), for the checks of
 * replacement-certificate-checks.ts (organisation certificates) and root-certificate-checks.ts
 * (a new Root): what a certificate says, never whether the device should trust it. Pure.
 */

/** The parts of a certificate the checks need, read once with asn1js and @peculiar/x509. */
export interface ParsedCertificate {
  readonly x509: X509Certificate;
  /** The TBSCertificate exactly as received: the signature covers these bytes, not a re-encoding. */
  readonly tbs: Uint8Array;
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly signatureAlgorithm: string;
  /** ECDSA-Sig-Value, DER, as X.509 carries it. */
  readonly signature: Uint8Array;
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

function raw(block: asn1js.AsnType | undefined): Uint8Array {
  return block === undefined ? new Uint8Array(0) : new Uint8Array(block.valueBeforeDecodeView);
}

/**
 * Memo of what is read from certificate bytes, and of each verification. A run's Change of
 * Supplier sends the gaining Supplier's same certificates and the same Issuing CA to every device,
 * and reading and verifying them costs milliseconds; the answers depend on the bytes alone, so the
 * memo cannot change an outcome. Bounded, oldest out first (Map order).
 */
const MEMO_LIMIT = 1024;
function remember<K, V>(memo: Map<K, V>, key: K, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as K);
  memo.set(key, value);
  return value;
}
const certificates = new Map<string, ParsedCertificate | string>();
const keyObjects = new Map<string, KeyObject | undefined>();
const verifications = new WeakMap<ParsedCertificate, Map<KeyObject, boolean>>();

/** The certificate's parts, or why it has none, after `what` ("the replacement is not …"). */
export function parseCertificate(der: Uint8Array, what: string): ParsedCertificate | string {
  const id = Buffer.from(der).toString('hex');
  const known = certificates.get(id);
  const read = known ?? remember(certificates, id, readCertificate(der));
  return typeof read === 'string' ? `${what} ${read}` : read;
}

function readCertificate(der: Uint8Array): ParsedCertificate | string {
  try {
    const decoded = asn1js.fromBER(Uint8Array.from(der));
    if (decoded.offset !== der.length || !(decoded.result instanceof asn1js.Sequence))
      return 'is not one DER X.509 certificate';
    const [tbsBlock, algorithmBlock, signatureBlock] = decoded.result.valueBlock.value;
    if (!(tbsBlock instanceof asn1js.Sequence) || !(algorithmBlock instanceof asn1js.Sequence))
      return 'is not an X.509 certificate';
    if (!(signatureBlock instanceof asn1js.BitString) || signatureBlock.valueBlock.unusedBits !== 0)
      return 'has no signature value';
    const algorithmId = algorithmBlock.valueBlock.value[0];
    const fields = tbsBlock.valueBlock.value;
    // version [0] is optional; after it: serial, signature, issuer, validity, subject.
    const first = fields[0]?.idBlock.tagClass === 3 ? 1 : 0;
    const tbsAlgorithm = fields[first + 1];
    // RFC 5280 §4.1.1.2: the outer algorithm must be the one the signed part names.
    if (Buffer.compare(raw(tbsAlgorithm), raw(algorithmBlock)) !== 0)
      return 'names another signature algorithm outside its signed part than inside';
    return {
      x509: new X509Certificate(Uint8Array.from(der)),
      tbs: raw(tbsBlock),
      issuer: raw(fields[first + 2]),
      subject: raw(fields[first + 4]),
      signatureAlgorithm:
        algorithmId instanceof asn1js.ObjectIdentifier ? algorithmId.valueBlock.toString() : '',
      signature: Uint8Array.from(signatureBlock.valueBlock.valueHexView),
    };
  } catch (err) {
    return `is not a readable X.509 certificate (${(err as Error).message})`;
  }
}

/** True only when `signer` signed the certificate; garbage in any part is `false`, never a throw. */
export function signedBy(certificate: ParsedCertificate, signer: KeyObject): boolean {
  const known = verifications.get(certificate)?.get(signer);
  if (known !== undefined) return known;
  let verified = false;
  if (certificate.signatureAlgorithm === ECDSA_WITH_SHA256) {
    try {
      verified = verify(
        'sha256',
        certificate.tbs,
        { key: signer, dsaEncoding: 'der' },
        certificate.signature,
      );
    } catch {
      verified = false;
    }
  }
  const bySigner = verifications.get(certificate) ?? new Map<KeyObject, boolean>();
  verifications.set(certificate, bySigner);
  bySigner.set(signer, verified);
  return verified;
}

/** The P-256 key of a SubjectPublicKeyInfo (DER), or undefined for any other key or garbage. */
export function p256Key(spkiDer: Uint8Array): KeyObject | undefined {
  const id = Buffer.from(spkiDer).toString('hex');
  if (keyObjects.has(id)) return keyObjects.get(id);
  try {
    const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    return remember(keyObjects, id, key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : undefined);
  } catch {
    return remember(keyObjects, id, undefined);
  }
}

/** The certificate's own key, as a signer of certificates (its subjectPublicKeyInfo). */
export function subjectKeyOf(certificate: ParsedCertificate): KeyObject | undefined {
  return p256Key(new Uint8Array(certificate.x509.publicKey.rawData));
}

export function keyUsageOf(certificate: ParsedCertificate): KeyUsagesExtension | undefined {
  return certificate.x509.getExtension(KeyUsagesExtension) ?? undefined;
}

/** basicConstraints cA TRUE and keyUsage keyCertSign: a key that may sign certificates. */
export function isCaCertificate(certificate: ParsedCertificate): boolean {
  const constraints = certificate.x509.getExtension(BasicConstraintsExtension);
  const usage = keyUsageOf(certificate);
  return constraints?.ca === true && usage !== undefined && (usage.usages & KeyUsageFlags.keyCertSign) !== 0;
}

/** The role code the subject OU carries, if the certificate names an organisation (OU and EUI). */
export function organisationRoleCodeOf(der: Uint8Array): number | undefined {
  try {
    const identity = readCertificateIdentity(der);
    return identity?.kind === 'organisation' ? identity.roleCode : undefined;
  } catch {
    // Its own DER reader is stricter than asn1js: what it cannot read names no role.
    return undefined;
  }
}

/** The role code in the subject OU of a certificate that names no device: a Root's is 00. */
export function subjectRoleCodeOf(der: Uint8Array): number | undefined {
  try {
    return readCertificateIdentity(der)?.kind === 'device' ? undefined : readSubjectRoleCode(der);
  } catch {
    return undefined;
  }
}

export function validAt(certificate: ParsedCertificate, now: number): boolean {
  return certificate.x509.notBefore.getTime() <= now && now <= certificate.x509.notAfter.getTime();
}
