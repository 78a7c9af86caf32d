import * as asn1js from 'asn1js';
import { signDeterministic } from '../../../simulator/domain/index.js';

/**
 * A copy of an X.509 certificate whose signed part (TBSCertificate) `edit` may change, signed
 * again by `signerPrivateKey`: how the conformance cases build a certificate that differs from a
 * good one in exactly one way. Re-signed by the Issuing CA, an edited certificate is one the SMKI
 * could have issued (only the edit is wrong); re-signed by another key, an unedited one is a
 * forgery that names the Issuing CA as its issuer. The signature is RFC 6979, so a run's bytes
 * are the same every time.
 */
export function resignedCertificate(
  der: Uint8Array,
  signerPrivateKey: Uint8Array,
  edit: (tbs: Uint8Array) => Uint8Array = (tbs) => tbs,
): Uint8Array {
  const decoded = asn1js.fromBER(Uint8Array.from(der));
  const [tbs, algorithm] = decoded.result instanceof asn1js.Sequence ? decoded.result.valueBlock.value : [];
  if (tbs === undefined || algorithm === undefined) throw new Error('not an X.509 certificate');
  const signedPart = edit(new Uint8Array(tbs.valueBeforeDecodeView));
  const rs = signDeterministic(signedPart, signerPrivateKey);
  const integer = (bytes: Uint8Array) => asn1js.Integer.fromBigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  // X.509 carries ECDSA-Sig-Value { r INTEGER, s INTEGER }, not GBCS's 64-byte r ‖ s.
  const signature = new asn1js.Sequence({ value: [integer(rs.subarray(0, 32)), integer(rs.subarray(32))] });
  const content = Buffer.concat([
    signedPart,
    new Uint8Array(algorithm.valueBeforeDecodeView),
    new Uint8Array(new asn1js.BitString({ valueHex: signature.toBER() }).toBER()),
  ]);
  // The outer SEQUENCE around bytes kept as they are (asn1js would re-encode parsed blocks).
  return Uint8Array.from(Buffer.concat([sequenceHeader(content.length), content]));
}

/** A DER SEQUENCE tag and length (short form up to 127, else 81 LL or 82 HH LL). */
function sequenceHeader(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.from([0x30, length]);
  if (length < 0x100) return Uint8Array.from([0x30, 0x81, length]);
  return Uint8Array.from([0x30, 0x82, length >> 8, length & 0xff]);
}

/**
 * The TBSCertificate with its subject OU (a remote party role code, two hex digits) set to `code`:
 * the same organisation and key, certified for another role. Only the subject's OU changes; the
 * issuer's (the Issuing CA's, `07`) is left alone.
 */
export function withSubjectRole(code: number): (tbs: Uint8Array) => Uint8Array {
  return (tbs) => {
    const edited = Uint8Array.from(tbs);
    const fields = (asn1js.fromBER(edited).result as asn1js.Sequence).valueBlock.value;
    const first = fields[0]?.idBlock.tagClass === 3 ? 1 : 0;
    const subject = fields[first + 4];
    if (subject === undefined) throw new Error('the certificate has no subject');
    // asn1js views into `edited` itself, so the view's offset is the subject's place in it.
    const start = subject.valueBeforeDecodeView.byteOffset;
    const end = start + subject.valueBeforeDecodeView.byteLength;
    // OID 2.5.4.11 organizationalUnitName, then UTF8String of two characters.
    const ou = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x0b, 0x0c, 0x02]);
    const at = Buffer.from(edited).subarray(start, end).indexOf(ou);
    if (at < 0) throw new Error('the subject has no two-character OU');
    edited.set(
      Buffer.from(code.toString(16).padStart(2, '0').toUpperCase(), 'ascii'),
      start + at + ou.length,
    );
    return edited;
  };
}

/** The TBSCertificate's fields, and where the version [0] leaves the first of them. */
function tbsFields(tbs: Uint8Array): { fields: asn1js.AsnType[]; first: number } {
  const fields = (asn1js.fromBER(tbs).result as asn1js.Sequence).valueBlock.value;
  return { fields, first: fields[0]?.idBlock.tagClass === 3 ? 1 : 0 };
}

/** A time as X.509 writes it in the same form the certificate used: UTCTime or GeneralizedTime. */
function timeText(at: Date, tagNumber: number): string {
  const full = at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${tagNumber === 23 ? full.slice(2) : full}Z`;
}

/**
 * The TBSCertificate with its validity set to [notBefore, notAfter]: the same certificate, issued
 * for another period (an expired one, for the time-based CPV check). Each time keeps its form
 * (UTCTime 13 characters, GeneralizedTime 15) so the TBSCertificate keeps its length.
 */
export function withValidity(notBefore: Date, notAfter: Date): (tbs: Uint8Array) => Uint8Array {
  return (tbs) => {
    const edited = Uint8Array.from(tbs);
    const { fields, first } = tbsFields(edited);
    const validity = fields[first + 3];
    if (!(validity instanceof asn1js.Sequence)) throw new Error('the certificate has no validity');
    for (const [time, at] of validity.valueBlock.value.map(
      (t, i) => [t, i === 0 ? notBefore : notAfter] as const,
    )) {
      const view = time.valueBeforeDecodeView;
      const text = timeText(at, time.idBlock.tagNumber);
      // Tag and one length octet, then the characters: overwritten in place.
      if (view.byteLength !== text.length + 2) throw new Error('a validity time of unexpected length');
      edited.set(Buffer.from(text, 'ascii'), view.byteOffset + 2);
    }
    return edited;
  };
}

/**
 * The TBSCertificate with its subject public key `from` (65 bytes, as the certificate holds it)
 * replaced by `to`: the same name and extensions certifying another key.
 */
export function withPublicKey(from: Uint8Array, to: Uint8Array): (tbs: Uint8Array) => Uint8Array {
  return (tbs) => {
    const at = Buffer.from(tbs).indexOf(Buffer.from(from));
    if (at < 0 || to.length !== from.length) throw new Error('the certificate does not hold that key');
    const edited = Uint8Array.from(tbs);
    edited.set(to, at);
    return edited;
  };
}

/**
 * The TBSCertificate with its keyUsage keyCertSign | cRLSign (`03 02 01 06`, a CA's) turned into
 * digitalSignature (`03 02 07 80`, the same length): a certificate whose key may not sign
 * certificates, whatever else it says.
 */
export function withoutCertificateSigning(tbs: Uint8Array): Uint8Array {
  // id-ce-keyUsage 2.5.29.15, then (critical) and the OCTET STRING around the BIT STRING.
  const keyUsage = Buffer.from(tbs).indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0f]));
  const bits = Buffer.from(tbs).indexOf(Buffer.from([0x03, 0x02, 0x01, 0x06]), keyUsage);
  if (keyUsage < 0 || bits < 0 || bits - keyUsage > 12) throw new Error('no CA key usage to change');
  const edited = Uint8Array.from(tbs);
  edited.set([0x03, 0x02, 0x07, 0x80], bits);
  return edited;
}
