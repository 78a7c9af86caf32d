import type { Eui } from '../domain/eui.js';
import { deriveKeyPair, type KeyPair } from '../domain/smki/key-pair.js';
import type { RemotePartyRole } from '../domain/smki/remote-party-roles.js';
import { authoritySubject, organisationSubject, xmlSignSubject } from '../domain/smki/smki-names.js';
import { CertificateIssuer, type SigningAuthority } from './certificate-issuer.js';
import {
  authorityExtensions,
  deviceExtensions,
  type ExtensionsFor,
  type KeyUsage,
  organisationExtensions,
} from './certificate-profiles.js';
import { DeviceCertificateTemplate } from './device-certificate-template.js';
import { DEFAULT_VALIDITY_YEARS, type PkiSpec, validatePkiSpec } from './pki-spec.js';
import { deriveSerialNumber } from './serial-number.js';

export type { KeyUsage } from './certificate-profiles.js';
export type { PkiSpec } from './pki-spec.js';

export interface IssuedCertificate {
  /**
   * The certificate's one SMKI key usage. CA certificates carry keyCertSign + cRLSign instead;
   * for them this says what kind of key it is (a signing key), hence `digitalSignature`.
   */
  readonly keyUsage: KeyUsage;
  readonly keys: KeyPair;
  readonly der: Uint8Array;
  readonly pem: string;
  /** Lower-case hex, exactly as in the certificate. */
  readonly serialNumber: string;
}

export interface OrganisationCredentials {
  readonly name: string;
  readonly eui: Eui;
  readonly role: RemotePartyRole;
  readonly ds: IssuedCertificate;
  readonly ka: IssuedCertificate;
  /** The XmlSign certificate that signs this party's DUIS XML, if the spec asked for one. */
  readonly xmlSign?: IssuedCertificate;
}

export interface DeviceCredentials {
  readonly eui: Eui;
  readonly ds: IssuedCertificate;
  readonly ka: IssuedCertificate;
}

export interface TestPki {
  readonly seed: string;
  readonly root: IssuedCertificate;
  readonly issuingCa: IssuedCertificate;
  readonly organisations: readonly OrganisationCredentials[];
  readonly devices: readonly DeviceCredentials[];
  /** Throws an Error naming the unknown name and the known ones. */
  organisation(name: string): OrganisationCredentials;
  /** Throws an Error naming the unknown EUI and some known ones. */
  device(eui: Eui): DeviceCredentials;
}

/** The key label of a device's DS or KA key; one place, so certificates and key-only fleets agree. */
export function deviceKeyLabel(eui: Eui, usage: 'ds' | 'ka'): string {
  return `device/${eui}/${usage}`;
}

/**
 * A device's KA key pair without issuing its certificate: the same key `generateTestPki` would
 * certify. For fleets of 10k–100k simulated devices, where a certificate costs milliseconds
 * and the simulation only needs the keys (the DCC's SMKI holds the public key).
 */
export function deriveDeviceKaKeys(seed: string, eui: Eui): KeyPair {
  return deriveKeyPair(seed, deviceKeyLabel(eui, 'ka'));
}

/** A device's DS key pair (it signs critical responses and alerts), as `deriveDeviceKaKeys`. */
export function deriveDeviceDsKeys(seed: string, eui: Eui): KeyPair {
  return deriveKeyPair(seed, deviceKeyLabel(eui, 'ds'));
}

/**
 * Certificates already issued in this process, by everything that decides their bytes. A suite
 * run starts a PKI per scenario with the same seed, so the CAs' and organisations' certificates
 * repeat; issuing one through @peculiar/x509 costs milliseconds. The result is the same object
 * either way (frozen), so the memo cannot change an outcome. Bounded; oldest out first.
 */
const ISSUED_MEMO_LIMIT = 1024;
const ISSUED_MEMO = new Map<string, IssuedCertificate>();

function hexOf(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '-' : Buffer.from(bytes).toString('hex');
}

/** Calendar arithmetic in UTC, so 25 years from 1 March is 1 March whatever the leap days. */
function addUtcYears(date: Date, years: number): Date {
  const later = new Date(date.getTime());
  later.setUTCFullYear(later.getUTCFullYear() + years);
  return later;
}

/**
 * A root CA, an issuing CA under it, and DS + KA certificates for every organisation and device in
 * the spec — keys, serials and signatures all derived from `spec.seed`, so the same spec gives
 * byte-identical certificates on every run and machine. Each key has its own label (`root`,
 * `issuing-ca`, `org/<name>/ds`, `device/<EUI>/ka`), so adding a party leaves the others unchanged.
 */
export async function generateTestPki(spec: PkiSpec): Promise<TestPki> {
  validatePkiSpec(spec);
  const { seed } = spec;
  // X.509 times hold whole seconds; truncating here keeps the DER and the spec in agreement.
  const notBefore = new Date(Math.floor(spec.notBefore / 1000) * 1000);
  const issuer = new CertificateIssuer(
    notBefore,
    addUtcYears(notBefore, spec.validityYears ?? DEFAULT_VALIDITY_YEARS),
  );

  const certify = async (
    label: string,
    keyUsage: KeyUsage,
    subject: Uint8Array | undefined,
    signer: SigningAuthority,
    extensionsFor: ExtensionsFor,
  ): Promise<IssuedCertificate> => {
    const memoKey = [
      seed,
      label,
      keyUsage,
      notBefore.getTime(),
      spec.validityYears ?? DEFAULT_VALIDITY_YEARS,
      hexOf(subject),
      hexOf(signer.subject),
      hexOf(signer.keys.publicKey),
    ].join('\u0000');
    const remembered = ISSUED_MEMO.get(memoKey);
    if (remembered !== undefined) return remembered;
    const keys = deriveKeyPair(seed, label);
    const serialNumber = deriveSerialNumber(seed, label);
    const { der, pem } = await issuer.issue({
      serialNumber,
      subject,
      publicKey: keys.publicKey,
      issuer: signer,
      extensions: extensionsFor(keys.publicKey, signer.keys.publicKey),
    });
    const issued = Object.freeze({ keyUsage, keys, der, pem, serialNumber });
    if (ISSUED_MEMO.size >= ISSUED_MEMO_LIMIT) ISSUED_MEMO.delete(ISSUED_MEMO.keys().next().value as string);
    ISSUED_MEMO.set(memoKey, issued);
    return issued;
  };

  const rootSubject = authoritySubject('trialsim SMKI test root CA', 'root');
  // Self-signed: the root is its own signer.
  const rootAuthority = await issuer.authority(rootSubject, deriveKeyPair(seed, 'root'));
  const root = await certify('root', 'digitalSignature', rootSubject, rootAuthority, (key, issuerKey) =>
    authorityExtensions(key, issuerKey, undefined),
  );
  const issuingSubject = authoritySubject('trialsim SMKI test issuing CA', 'issuingAuthority');
  const issuingCa = await certify(
    'issuing-ca',
    'digitalSignature',
    issuingSubject,
    rootAuthority,
    (key, issuerKey) => authorityExtensions(key, issuerKey, 0),
  );
  const issuingAuthority = await issuer.authority(issuingSubject, issuingCa.keys);

  const organisations: OrganisationCredentials[] = [];
  for (const { name, eui, role, xmlSign: xmlSignKind } of spec.organisations) {
    const subject = organisationSubject(name, role, eui);
    const ds = await certify(
      `org/${name}/ds`,
      'digitalSignature',
      subject,
      issuingAuthority,
      (key, issuerKey) => organisationExtensions('digitalSignature', key, issuerKey),
    );
    const ka = await certify(`org/${name}/ka`, 'keyAgreement', subject, issuingAuthority, (key, issuerKey) =>
      organisationExtensions('keyAgreement', key, issuerKey),
    );
    const xmlSign =
      xmlSignKind === undefined
        ? undefined
        : await certify(
            `org/${name}/xml-sign`,
            'digitalSignature',
            xmlSignSubject(name, xmlSignKind, eui),
            issuingAuthority,
            (key, issuerKey) => organisationExtensions('digitalSignature', key, issuerKey),
          );
    organisations.push(
      Object.freeze({ name, eui, role, ds, ka, ...(xmlSign === undefined ? {} : { xmlSign }) }),
    );
  }

  // The first device's certificates come from @peculiar/x509; every later one is the same
  // layout with its own serial, EUI and key (device-certificate-template.ts): same bytes, ~30× faster.
  const templates = new Map<KeyUsage, DeviceCertificateTemplate | undefined>();
  const certifyDevice = async (eui: Eui, usage: KeyUsage): Promise<IssuedCertificate> => {
    const label = deviceKeyLabel(eui, usage === 'digitalSignature' ? 'ds' : 'ka');
    const template = templates.get(usage);
    if (template !== undefined) {
      const keys = deriveKeyPair(seed, label);
      const serialNumber = deriveSerialNumber(seed, label);
      const { der, pem } = template.issue(
        { serialNumber, eui, publicKey: keys.publicKey },
        issuingAuthority.keys.privateKey,
      );
      return Object.freeze({ keyUsage: usage, keys, der, pem, serialNumber });
    }
    const issued = await certify(label, usage, undefined, issuingAuthority, (key, issuerKey) =>
      deviceExtensions(usage, eui, key, issuerKey),
    );
    if (!templates.has(usage)) {
      const fields = {
        der: issued.der,
        serialNumber: issued.serialNumber,
        eui,
        publicKey: issued.keys.publicKey,
      };
      templates.set(usage, DeviceCertificateTemplate.from(fields));
    }
    return issued;
  };
  const devices: DeviceCredentials[] = [];
  for (const eui of spec.devices) {
    const ds = await certifyDevice(eui, 'digitalSignature');
    const ka = await certifyDevice(eui, 'keyAgreement');
    devices.push(Object.freeze({ eui, ds, ka }));
  }

  const byName = new Map(organisations.map((organisation) => [organisation.name, organisation]));
  const byEui = new Map(devices.map((device) => [device.eui, device]));
  return Object.freeze({
    seed,
    root,
    issuingCa,
    organisations: Object.freeze(organisations),
    devices: Object.freeze(devices),
    organisation(name: string): OrganisationCredentials {
      const found = byName.get(name);
      if (found) return found;
      const known = [...byName.keys()].join(', ') || '(none)';
      throw new Error(`test PKI has no organisation "${name}"; known organisations: ${known}`);
    },
    device(eui: Eui): DeviceCredentials {
      const found = byEui.get(eui);
      if (found) return found;
      const known = [...byEui.keys()];
      const listed = known.slice(0, 5).join(', ') + (known.length > 5 ? `, … (${known.length} in all)` : '');
      throw new Error(`test PKI has no device ${eui}; known devices: ${listed || '(none)'}`);
    },
  });
}
