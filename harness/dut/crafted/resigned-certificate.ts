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
