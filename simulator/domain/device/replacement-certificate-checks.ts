import 'reflect-metadata';
import { KeyUsageFlags } from '@peculiar/x509';
import { p256Spki } from '../smki/key-encoding.js';
import { REMOTE_PARTY_ROLE_CODES, type RemotePartyRole } from '../smki/remote-party-roles.js';
import type { DeviceDefect } from './device-defects.js';
import {
  isCaCertificate,
  keyUsageOf,
  organisationRoleCodeOf,
  type ParsedCertificate,
  p256Key,
  parseCertificate,
  signedBy,
  subjectKeyOf,
  validAt,
} from './replacement-certificate-reading.js';
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
 * A new Root has no CA above it: credential-replacement.ts checks it as root-certificate-checks.ts says.
 *
 * `defect` (device-defects.ts) skips exactly one of these checks, for the mutant that proves the
 * conformance case written for that check (harness/dut/mutants/MUTANTS.md).
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

const USAGE_FLAG: Readonly<Record<KeyUsage, KeyUsageFlags>> = {
  digitalSignature: KeyUsageFlags.digitalSignature,
  keyAgreement: KeyUsageFlags.keyAgreement,
};

/** The issuing CA of `certificate` in the path, checked against the Root; or why there is none. */
function issuingCa(
  certificate: ParsedCertificate,
  context: ReplacementCertificateContext,
  defect: DeviceDefect | undefined,
): ParsedCertificate | string {
  if (context.rootPublicKey === undefined) return 'the device holds no Root to validate against';
  const root = p256Key(p256Spki(context.rootPublicKey));
  if (root === undefined) return "the device's Root key is no P-256 key";
  let reason = 'the certification path holds no certificate of its issuer';
  for (const [index, der] of context.certificationPath.entries()) {
    const ca = parseCertificate(der, `certification path certificate ${index}`);
    if (typeof ca === 'string') return ca;
    if (Buffer.compare(ca.subject, certificate.issuer) !== 0) continue;
    if (!isCaCertificate(ca) && defect !== 'no-issuing-ca-constraints-check')
      return `its issuer ${ca.x509.subject} is not a CA certificate (cA, keyCertSign)`;
    if (!signedBy(ca, root) && defect !== 'no-issuing-ca-root-check')
      return `its issuer ${ca.x509.subject} is not signed by the Root the device holds`;
    if (
      context.applyTimeBasedCpvChecks &&
      defect !== 'no-issuing-ca-validity-check' &&
      !validAt(ca, context.now)
    )
      return `its issuer ${ca.x509.subject} is outside its validity period`;
    if (defect === 'no-certificate-issuer-check') return ca;
    reason = `its issuer ${ca.x509.subject} did not sign it`;
    const key = subjectKeyOf(ca);
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
  defect?: DeviceDefect,
): CertificateFault {
  const certificate = parseCertificate(der, 'the replacement');
  if (typeof certificate === 'string') return certificate;
  const ca = issuingCa(certificate, context, defect);
  if (typeof ca === 'string') return ca;
  const usage = keyUsageOf(certificate);
  if (
    (usage?.critical !== true || usage.usages !== USAGE_FLAG[cell.keyUsage]) &&
    defect !== 'no-certificate-key-usage-check'
  )
    return `its key usage is not exactly ${cell.keyUsage} (critical), as the ${cell.role} ${cell.keyUsage} cell needs`;
  if (
    organisationRoleCodeOf(der) !== REMOTE_PARTY_ROLE_CODES[cell.role] &&
    defect !== 'no-certificate-role-check'
  )
    return `its subject OU does not name the ${cell.role} role (code ${REMOTE_PARTY_ROLE_CODES[cell.role]})`;
  if (
    context.applyTimeBasedCpvChecks &&
    defect !== 'no-certificate-validity-check' &&
    !validAt(certificate, context.now)
  )
    return `it is outside its validity period (${certificate.x509.notBefore.toISOString()} to ${certificate.x509.notAfter.toISOString()}) and time-based CPV checks apply`;
  return undefined;
}
