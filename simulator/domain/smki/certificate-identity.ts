import { type Eui, euiFromBytes } from '../eui.js';
import {
  contextTag,
  DER_TAG,
  type DerElement,
  decodeObjectIdentifier,
  readDer,
  readDerChildren,
} from './der.js';
import { type RemotePartyRole, roleFromCode } from './remote-party-roles.js';
import { OID } from './smki-names.js';

/** Who an SMKI certificate names, read back from its DER (the inverse of smki-names.ts). */
export type CertificateIdentity =
  | {
      readonly kind: 'organisation';
      readonly eui: Eui;
      readonly roleCode: number;
      /** `undefined` when the OU holds a code SMKI does not define. */
      readonly role: RemotePartyRole | undefined;
    }
  | { readonly kind: 'device'; readonly eui: Eui };

interface TbsParts {
  readonly subject: DerElement;
  readonly extensions: readonly DerElement[];
}

function tbsParts(certificate: Uint8Array): TbsParts {
  const [tbs] = readDerChildren(readDer(certificate).content);
  if (tbs?.tag !== DER_TAG.sequence) throw new RangeError('not an X.509 certificate: no TBSCertificate');
  const fields = readDerChildren(tbs.content);
  // version [0] is optional; after it: serial, signature, issuer, validity, subject.
  const first = fields[0]?.tag === contextTag(0) ? 1 : 0;
  const subject = fields[first + 4];
  if (subject === undefined) throw new RangeError('not an X.509 certificate: no subject');
  const extensionsField = fields.find((field) => field.tag === contextTag(3));
  const extensionList = extensionsField ? readDerChildren(extensionsField.content)[0] : undefined;
  return { subject, extensions: extensionList ? readDerChildren(extensionList.content) : [] };
}

function extensionValue(extensions: readonly DerElement[], oid: string): Uint8Array | undefined {
  for (const extension of extensions) {
    const parts = readDerChildren(extension.content);
    const [id] = parts;
    const value = parts.at(-1);
    if (id?.tag === DER_TAG.objectIdentifier && decodeObjectIdentifier(id.content) === oid)
      return value?.content;
  }
  return undefined;
}

function deviceEui(subjectAltName: Uint8Array): Eui | undefined {
  for (const generalName of readDerChildren(readDer(subjectAltName).content)) {
    if (generalName.tag !== contextTag(0)) continue;
    const [typeId, explicitValue] = readDerChildren(generalName.content);
    if (typeId === undefined || decodeObjectIdentifier(typeId.content) !== OID.hardwareModuleName) continue;
    const [hardwareModuleName] = explicitValue ? readDerChildren(explicitValue.content) : [];
    const [, serial] = hardwareModuleName ? readDerChildren(hardwareModuleName.content) : [];
    if (serial?.tag === DER_TAG.octetString && serial.content.length === 8)
      return euiFromBytes(serial.content);
  }
  return undefined;
}

function organisationIdentity(subject: DerElement): CertificateIdentity | undefined {
  let roleCode: number | undefined;
  let eui: Eui | undefined;
  for (const rdn of readDerChildren(subject.content)) {
    for (const attribute of readDerChildren(rdn.content)) {
      const [type, value] = readDerChildren(attribute.content);
      if (type === undefined || value === undefined) continue;
      const oid = decodeObjectIdentifier(type.content);
      const text = new TextDecoder().decode(value.content);
      if (oid === OID.organizationalUnitName && /^[0-9A-Fa-f]{2}$/.test(text)) {
        roleCode = Number.parseInt(text, 16);
      }
      // A 64-bit BIT STRING: one "unused bits" octet (0) then the 8 EUI bytes.
      if (oid === OID.x500UniqueIdentifier && value.tag === DER_TAG.bitString && value.content.length === 9) {
        if (value.content[0] === 0) eui = euiFromBytes(value.content.subarray(1));
      }
    }
  }
  if (roleCode === undefined || eui === undefined) return undefined;
  return { kind: 'organisation', eui, roleCode, role: roleFromCode(roleCode) };
}

/**
 * The remote party role code in the subject OU (two hex digits, DCC.md §7), whether or not the
 * subject names an EUI: an organisation's, or an authority's (a Root's OU is 00 and it names no
 * EUI). Throws RangeError on malformed DER.
 */
export function readSubjectRoleCode(certificate: Uint8Array): number | undefined {
  const { subject } = tbsParts(certificate);
  for (const rdn of readDerChildren(subject.content)) {
    for (const attribute of readDerChildren(rdn.content)) {
      const [type, value] = readDerChildren(attribute.content);
      if (type === undefined || value === undefined) continue;
      const text = new TextDecoder().decode(value.content);
      if (
        decodeObjectIdentifier(type.content) === OID.organizationalUnitName &&
        /^[0-9A-Fa-f]{2}$/.test(text)
      )
        return Number.parseInt(text, 16);
    }
  }
  return undefined;
}

/**
 * The organisation (OU + x500UniqueIdentifier) or device (hardwareModuleName) a certificate names,
 * or `undefined` for one that names neither (CA certificates). Throws RangeError on malformed DER.
 */
export function readCertificateIdentity(certificate: Uint8Array): CertificateIdentity | undefined {
  const { subject, extensions } = tbsParts(certificate);
  const subjectAltName = extensionValue(extensions, OID.subjectAltName);
  const eui = subjectAltName ? deviceEui(subjectAltName) : undefined;
  if (eui !== undefined) return { kind: 'device', eui };
  return organisationIdentity(subject);
}
