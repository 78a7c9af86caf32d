import 'reflect-metadata';
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509Certificate,
} from '@peculiar/x509';
import * as asn1js from 'asn1js';
import { readCertificateIdentity } from '../smki/certificate-identity.js';
import { p256Spki } from '../smki/key-encoding.js';
import { REMOTE_PARTY_ROLE_CODES, type RemotePartyRole } from '../smki/remote-party-roles.js';
import type { KeyUsage } from './trust-anchors.js';

/**
 * What a device checks about each certificate a CS02b replacement asks it to trust (GBCS.md §7.8,
 * DCC.md §7), before the certificate's key goes into a trust anchor cell. Without these checks
 * anyone who can get one signed CS02b past the device (a compromised User system, a replayed
 * template) could install a key of their own making: the certificate is what binds a key to an
 * SMKI party. Pure: the device's clock comes in as `now`, nothing is read from outside.
 *
 * The checks, in order (the first that fails is the reason; every failure is badCertificate):
 * 1. the bytes are one X.509 certificate (DER, nothing after it), signed ecdsa-with-SHA256;
 * 2. the certification path holds the CA that issued it (subject = its issuer), a CA certificate
 *    (basicConstraints cA, keyUsage keyCertSign) signed by the Root the device holds in its root
 *    cell, and the certificate is signed by that CA: SMKI's Root → Issuing CA → Organisation;
 * 3. its key usage is exactly the target cell's (DCC.md §7: one usage per certificate, critical);
 * 4. its subject OU names the target cell's remote party role (DCC.md §7: the OU is the role code);
 * 5. when time-based CPV checks apply (CS02b [1], DUIS ApplyTimeBasedCPVChecks), the device's
 *    clock is inside the validity of the certificate and of its CA.
 */
export interface ReplacementCertificateContext {
  /** The CS02b certification path: the Issuing CA certificate(s), DER. */
  readonly certificationPath: readonly Uint8Array[];
  /** The key in the device's Root cell (uncompressed P-256), or undefined if it holds none. */
  readonly rootPublicKey: Uint8Array | undefined;
  readonly applyTimeBasedCpvChecks: boolean;
  /** The device's clock, ms since the epoch. */
  readonly now: number;
}

export interface TargetCell {
  readonly role: RemotePartyRole;
  readonly keyUsage: KeyUsage;
}

/** `undefined` when the certificate may go into the cell; else why not (badCertificate). */
export type CertificateFault = string | undefined;

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

/** The parts of a certificate the checks need, read once with asn1js and @peculiar/x509. */
interface ParsedCertificate {
  readonly x509: X509Certificate;
  /** The TBSCertificate exactly as received: the signature covers these bytes, not a re-encoding. */
  readonly tbs: Uint8Array;
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  readonly signatureAlgorithm: string;
  /** ECDSA-Sig-Value, DER, as X.509 carries it. */
  readonly signature: Uint8Array;
}

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

function parse(der: Uint8Array, what: string): ParsedCertificate | string {
  const id = Buffer.from(der).toString('hex');
  const known = certificates.get(id);
  const read = known ?? remember(certificates, id, readCertificate(der));
  return typeof read === 'string' ? `${what} ${read}` : read;
}

/** The certificate's parts, or why it has none (a phrase following "the replacement …"). */
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
function signedBy(certificate: ParsedCertificate, signer: KeyObject): boolean {
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

function p256Key(spkiDer: Uint8Array): KeyObject | undefined {
  const id = Buffer.from(spkiDer).toString('hex');
  if (keyObjects.has(id)) return keyObjects.get(id);
  try {
    const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    return remember(keyObjects, id, key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : undefined);
  } catch {
    return remember(keyObjects, id, undefined);
  }
}

function keyUsageOf(certificate: ParsedCertificate): KeyUsagesExtension | undefined {
  return certificate.x509.getExtension(KeyUsagesExtension) ?? undefined;
}

function isCaCertificate(certificate: ParsedCertificate): boolean {
  const constraints = certificate.x509.getExtension(BasicConstraintsExtension);
  const usage = keyUsageOf(certificate);
  return constraints?.ca === true && usage !== undefined && (usage.usages & KeyUsageFlags.keyCertSign) !== 0;
}

/** The role code the subject OU carries, if the certificate names an organisation. */
function roleCodeOf(der: Uint8Array): number | undefined {
  try {
    const identity = readCertificateIdentity(der);
    return identity?.kind === 'organisation' ? identity.roleCode : undefined;
  } catch {
    // Its own DER reader is stricter than asn1js: what it cannot read names no role.
    return undefined;
  }
}

function validAt(certificate: ParsedCertificate, now: number): boolean {
  return certificate.x509.notBefore.getTime() <= now && now <= certificate.x509.notAfter.getTime();
}

const USAGE_FLAG: Readonly<Record<KeyUsage, KeyUsageFlags>> = {
  digitalSignature: KeyUsageFlags.digitalSignature,
  keyAgreement: KeyUsageFlags.keyAgreement,
};

/** The issuing CA of `certificate` in the path, checked against the Root; or why there is none. */
function issuingCa(
  certificate: ParsedCertificate,
  context: ReplacementCertificateContext,
): ParsedCertificate | string {
  if (context.rootPublicKey === undefined) return 'the device holds no Root to validate against';
  const root = p256Key(p256Spki(context.rootPublicKey));
  if (root === undefined) return "the device's Root key is no P-256 key";
  let reason = 'the certification path holds no certificate of its issuer';
  for (const [index, der] of context.certificationPath.entries()) {
    const ca = parse(der, `certification path certificate ${index}`);
    if (typeof ca === 'string') return ca;
    if (Buffer.compare(ca.subject, certificate.issuer) !== 0) continue;
    if (!isCaCertificate(ca))
      return `its issuer ${ca.x509.subject} is not a CA certificate (cA, keyCertSign)`;
    if (!signedBy(ca, root))
      return `its issuer ${ca.x509.subject} is not signed by the Root the device holds`;
    if (context.applyTimeBasedCpvChecks && !validAt(ca, context.now))
      return `its issuer ${ca.x509.subject} is outside its validity period`;
    reason = `its issuer ${ca.x509.subject} did not sign it`;
    const key = p256Key(new Uint8Array(ca.x509.publicKey.rawData));
    if (key !== undefined && signedBy(certificate, key)) return ca;
  }
  return reason;
}

/**
 * Why the certificate may not go into `cell`, or `undefined` when it may. Every fault is
 * badCertificate (5) in the CS02b response: GBCS.md §7.8 names no finer status.
 */
export function replacementCertificateFault(
  der: Uint8Array,
  cell: TargetCell,
  context: ReplacementCertificateContext,
): CertificateFault {
  const certificate = parse(der, 'the replacement');
  if (typeof certificate === 'string') return certificate;
  const ca = issuingCa(certificate, context);
  if (typeof ca === 'string') return ca;
  const usage = keyUsageOf(certificate);
  if (usage?.critical !== true || usage.usages !== USAGE_FLAG[cell.keyUsage])
    return `its key usage is not exactly ${cell.keyUsage} (critical), as the ${cell.role} ${cell.keyUsage} cell needs`;
  if (roleCodeOf(der) !== REMOTE_PARTY_ROLE_CODES[cell.role])
    return `its subject OU does not name the ${cell.role} role (code ${REMOTE_PARTY_ROLE_CODES[cell.role]})`;
  if (context.applyTimeBasedCpvChecks && !validAt(certificate, context.now))
    return `it is outside its validity period (${certificate.x509.notBefore.toISOString()} to ${certificate.x509.notAfter.toISOString()}) and time-based CPV checks apply`;
  return undefined;
}
