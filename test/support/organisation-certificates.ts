import type { Eui } from '../../simulator/domain/eui.js';
import { deriveKeyPair, type KeyPair } from '../../simulator/domain/smki/key-pair.js';
import type { RemotePartyRole } from '../../simulator/domain/smki/remote-party-roles.js';
import { authoritySubject, organisationSubject } from '../../simulator/domain/smki/smki-names.js';
import { CertificateIssuer } from '../../simulator/pki/certificate-issuer.js';
import { type KeyUsage, organisationExtensions } from '../../simulator/pki/certificate-profiles.js';

/**
 * SMKI organisation certificates (DER) for keys a test already has, as CS02b embeds them
 * (GBCS.md §7.8): for tests whose parties come from deriveKeyPair rather than a whole test PKI.
 * Issued by a throw-away CA; devices read the subject and the key, not the issuer's signature.
 */
const issuer = new CertificateIssuer(new Date('2026-01-01T00:00:00Z'), new Date('2046-01-01T00:00:00Z'));
const caSubject = authoritySubject('trialsim test issuing CA', 'issuingAuthority');
const caKeys = deriveKeyPair('test/organisation-certificates', 'issuing-ca');
let serial = 0x1000;

export async function organisationCertificate(
  party: { readonly eui: Eui; readonly role: RemotePartyRole; readonly name?: string },
  usage: KeyUsage,
  keys: KeyPair,
): Promise<Uint8Array> {
  const authority = await issuer.authority(caSubject, caKeys);
  const { der } = await issuer.issue({
    serialNumber: (serial++).toString(16),
    subject: organisationSubject(party.name ?? party.eui, party.role, party.eui),
    publicKey: keys.publicKey,
    issuer: authority,
    extensions: organisationExtensions(usage, keys.publicKey, caKeys.publicKey),
  });
  return der;
}

/** The throw-away CA's own certificate (self-signed): a certification path, and a certificate naming no organisation. */
export async function issuingCaCertificate(): Promise<Uint8Array> {
  const authority = await issuer.authority(caSubject, caKeys);
  const { der } = await issuer.issue({
    serialNumber: '01',
    subject: caSubject,
    publicKey: caKeys.publicKey,
    issuer: authority,
    extensions: organisationExtensions('digitalSignature', caKeys.publicKey, caKeys.publicKey),
  });
  return der;
}
