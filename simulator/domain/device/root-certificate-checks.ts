import 'reflect-metadata';
import { KeyUsageFlags } from '@peculiar/x509';
import { REMOTE_PARTY_ROLE_CODES } from '../smki/remote-party-roles.js';
import type { DeviceDefect } from './device-defects.js';
import type {
  CertificateFault,
  ReplacementCertificateContext,
  TargetCell,
} from './replacement-certificate-checks.js';
import {
  isCaCertificate,
  keyUsageOf,
  parseCertificate,
  signedBy,
  subjectKeyOf,
  subjectRoleCodeOf,
  validAt,
} from './replacement-certificate-reading.js';

/**
 * What a device checks about a new Root that a CS02b puts into its Root cell (rootBySupplier,
 * rootByWanProvider, anyByContingency: DCC.md §7). An Issuing CA the device trusts is one the key
 * in that cell signed (replacement-certificate-checks.ts), so whoever chooses the Root chooses
 * every certificate the device will accept after it: the command's signature by the mode's party
 * (credential-replacement.ts) is what authorises the change, and these checks make sure what is
 * installed is a Root at all.
 *
 * GBCS.md §7.8 and DCC.md §7 say nothing about how a device validates a new Root beyond the modes
 * (UNCONFIRMED; GBCS.md §11 records trialsim's reading). trialsim's reading, in order, each
 * failure badCertificate (5) as for every other certificate:
 * 1. the bytes are one X.509 certificate, signed ecdsa-with-SHA256;
 * 2. it is self-signed: its issuer Name is its subject Name and its own key verifies its
 *    signature. There is no CA above a Root to vouch for it, so the self-signature is the one
 *    proof that the holder of the new key made this certificate (SMKI's Root certificates are
 *    self-signed; a certificate the old Root signed, or anyone else, is not a new Root);
 * 3. it is a CA certificate (basicConstraints cA, keyUsage keyCertSign, critical) for the Root's
 *    DS cell: the Root's key signs certificates, which is all a device uses it for;
 * 4. its subject OU is the Root's role code (00, DCC.md §7);
 * 5. when time-based CPV checks apply, the device's clock is inside its validity.
 * The certification path plays no part: nothing is above a Root.
 */
export function rootCertificateFault(
  der: Uint8Array,
  cell: TargetCell,
  context: ReplacementCertificateContext,
  defect?: DeviceDefect,
): CertificateFault {
  const certificate = parseCertificate(der, 'the new Root');
  if (typeof certificate === 'string') return certificate;
  const ownKey = subjectKeyOf(certificate);
  const selfSigned =
    Buffer.compare(certificate.issuer, certificate.subject) === 0 &&
    ownKey !== undefined &&
    signedBy(certificate, ownKey);
  if (!selfSigned && defect !== 'no-root-self-signature-check')
    return 'the new Root is not self-signed (issuer = subject, signed by its own key)';
  const usage = keyUsageOf(certificate);
  const signsCertificates =
    cell.keyUsage === 'digitalSignature' &&
    isCaCertificate(certificate) &&
    usage?.critical === true &&
    (usage.usages & KeyUsageFlags.keyCertSign) !== 0;
  if (!signsCertificates && defect !== 'no-root-ca-check')
    return `the new Root is not a CA certificate (cA, critical keyCertSign) for the Root's digitalSignature cell (target: ${cell.keyUsage})`;
  if (subjectRoleCodeOf(der) !== REMOTE_PARTY_ROLE_CODES.root && defect !== 'no-certificate-role-check')
    return `its subject OU does not name the root role (code ${REMOTE_PARTY_ROLE_CODES.root})`;
  if (
    context.applyTimeBasedCpvChecks &&
    defect !== 'no-certificate-validity-check' &&
    !validAt(certificate, context.now)
  )
    return `the new Root is outside its validity period (${certificate.x509.notBefore.toISOString()} to ${certificate.x509.notAfter.toISOString()}) and time-based CPV checks apply`;
  return undefined;
}
