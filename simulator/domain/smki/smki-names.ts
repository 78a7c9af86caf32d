import { type Eui, euiToBytes } from '../eui.js';
import {
  contextTag,
  derBitString,
  derConcat,
  derObjectIdentifier,
  derOctetString,
  derSequence,
  derSet,
  derTlv,
  derUtf8String,
} from './der.js';
import { type RemotePartyRole, roleCodeHex } from './remote-party-roles.js';

/**
 * How SMKI certificates name their holder (DCC.md §7): organisations by subject `OU` (role code)
 * and `x500UniqueIdentifier` (EUI); devices by an empty subject and a hardwareModuleName
 * otherName (RFC 4108) in subjectAltName.
 */

export const OID = Object.freeze({
  commonName: '2.5.4.3',
  organizationalUnitName: '2.5.4.11',
  x500UniqueIdentifier: '2.5.4.45',
  subjectAltName: '2.5.29.17',
  /** RFC 4108 id-on-hardwareModuleName. */
  hardwareModuleName: '1.3.6.1.5.5.7.8.4',
  /**
   * hwType inside hardwareModuleName. UNCONFIRMED what arc real SMKI device certificates use, so
   * trialsim mints its own under the X.667 UUID arc (2.25, free to use without registration) —
   * no reader can mistake it for a registered manufacturer or DCC arc.
   */
  trialsimDeviceHwType: '2.25.211522593751259743734934108193475706311',
});

function attribute(type: string, value: Uint8Array): Uint8Array {
  return derSet(derSequence(derObjectIdentifier(type), value));
}

/**
 * Organisation subject: CN = name, OU = role code as two hex digits (UTF8String), and
 * x500UniqueIdentifier = the 8 EUI bytes as a 64-bit BIT STRING — X.520 types UniqueIdentifier as
 * BIT STRING, and DCC's own tooling (dccboxed-keystore) reads the EUI from a 64-bit BIT STRING.
 */
export function organisationSubject(name: string, role: RemotePartyRole, eui: Eui): Uint8Array {
  return derSequence(
    attribute(OID.commonName, derUtf8String(name)),
    attribute(OID.organizationalUnitName, derUtf8String(roleCodeHex(role))),
    attribute(OID.x500UniqueIdentifier, derBitString(euiToBytes(eui))),
  );
}

/** XmlSign subject OUs (DUIS.md §7): a DCC User's (0x87) and the DCC's DSP XmlSign (0x89). */
export const XML_SIGN_OU = Object.freeze({ user: '87', dsp: '89' });

/**
 * An XmlSign certificate's subject: like an organisation's, with the XmlSign OU in place of the
 * remote party role, as DCC Boxed's `xml-sign-…-ds` (OU=87) and `dsp-xml-sign-…` (OU=89) have it.
 */
export function xmlSignSubject(name: string, kind: 'user' | 'dsp', eui: Eui): Uint8Array {
  return derSequence(
    attribute(OID.commonName, derUtf8String(`${name} XmlSign`)),
    attribute(OID.organizationalUnitName, derUtf8String(XML_SIGN_OU[kind])),
    attribute(OID.x500UniqueIdentifier, derBitString(euiToBytes(eui))),
  );
}

/** CA subject: CN and the CA's role code in OU (root 00, issuing authority 07); CAs have no EUI here. */
export function authoritySubject(commonName: string, role: RemotePartyRole): Uint8Array {
  return derSequence(
    attribute(OID.commonName, derUtf8String(commonName)),
    attribute(OID.organizationalUnitName, derUtf8String(roleCodeHex(role))),
  );
}

/**
 * SubjectAltName value naming a device:
 * GeneralNames { otherName [0] { id-on-hardwareModuleName, [0] EXPLICIT HardwareModuleName {
 *   hwType OID, hwSerialNum OCTET STRING (8 EUI bytes) } } }.
 */
export function deviceSubjectAltName(eui: Eui): Uint8Array {
  const hardwareModuleName = derSequence(
    derObjectIdentifier(OID.trialsimDeviceHwType),
    derOctetString(euiToBytes(eui)),
  );
  const otherName = derTlv(
    contextTag(0),
    derConcat([derObjectIdentifier(OID.hardwareModuleName), derTlv(contextTag(0), hardwareModuleName)]),
  );
  return derSequence(otherName);
}
