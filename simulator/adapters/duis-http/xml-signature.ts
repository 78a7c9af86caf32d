import { type KeyObject, verify, type X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import {
  childElements,
  type DomDocument,
  type DomElement,
  DS_NS,
  parseXml,
  serializeXml,
  stripInsignificant,
} from '../../domain/duis/xml/duis-xml.js';
import { signDeterministic } from '../../domain/smki/key-pair.js';

/** The XMLDSig profile of DCC Boxed's signing tool (DUIS.md §7), exactly. */
const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/**
 * ECDSA P-256 with SHA-256, the signature value raw r‖s (64 bytes), not DER. xml-crypto has no
 * ECDSA of its own. Java line-wraps the value (with `&#13;`): whitespace is stripped before decoding.
 */
class EcdsaSha256 {
  /** `key` is the raw P-256 scalar: RFC 6979 keeps signed XML (and so the evidence) reproducible. */
  getSignature(signedInfo: string | Uint8Array, key: KeyObject | string | Buffer): string {
    return Buffer.from(signDeterministic(Buffer.from(signedInfo), key as Buffer)).toString('base64');
  }
  verifySignature(material: string, key: KeyObject | string | Buffer, value: string): boolean {
    const raw = Buffer.from(value.replace(/\s+/g, ''), 'base64');
    if (raw.length !== 64) return false;
    try {
      return verify(
        'sha256',
        Buffer.from(material),
        { key: key as KeyObject, dsaEncoding: 'ieee-p1363' },
        raw,
      );
    } catch {
      return false;
    }
  }
  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}

/** An XmlSign certificate and its key: who signs, and how the signature's KeyInfo names it. */
export interface XmlSigner {
  /** The raw 32-byte P-256 private scalar. */
  readonly privateKey: Uint8Array;
  readonly certificate: X509Certificate;
}

/** Issuer name as Java's RFC 2253 form writes it (`CN=Z1,OU=07`): the RDNs last first. */
export function rfc2253Issuer(certificate: X509Certificate): string {
  return certificate.issuer.split('\n').reverse().join(',');
}

/** The certificate's serial number in decimal, as X509SerialNumber holds it. */
export function decimalSerial(certificate: X509Certificate): string {
  return BigInt(`0x${certificate.serialNumber}`).toString(10);
}

/**
 * Signs a whitespace-free DUIS document: an enveloped ds:Signature appended as the root's last
 * child, the reference `URI=""` with the enveloped transform only (so inclusive C14N, as Java
 * computes it), SignedInfo in exclusive C14N, KeyInfo by issuer and serial (DUIS.md §7).
 */
export function signDuis(xml: string, signer: XmlSigner): string {
  const signed = new SignedXml({
    privateKey: Buffer.from(signer.privateKey),
    signatureAlgorithm: ECDSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
    getKeyInfoContent: () =>
      `<ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>${rfc2253Issuer(signer.certificate)}</ds:X509IssuerName><ds:X509SerialNumber>${decimalSerial(signer.certificate)}</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data>`,
  });
  signed.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256;
  signed.addReference({
    xpath: '/*',
    uri: '',
    isEmptyUri: true,
    transforms: [ENVELOPED],
    digestAlgorithm: SHA256,
  });
  signed.computeSignature(xml, { prefix: 'ds', location: { reference: '/*', action: 'append' } });
  return signed.getSignedXml();
}

/** Why a DUIS document's signature was not accepted, or whose certificate made it. */
export type SignatureVerdict =
  | { readonly ok: true; readonly certificate: X509Certificate; readonly serial: string }
  | {
      readonly ok: false;
      readonly problem: 'unsigned' | 'malformed-signature' | 'unknown-certificate' | 'bad-signature';
      readonly detail: string;
    };

function signatureOf(doc: DomDocument): DomElement[] {
  const root = doc.documentElement;
  return root === null
    ? []
    : childElements(root).filter((e) => e.namespaceURI === DS_NS && e.localName === 'Signature');
}

function textsOf(node: DomElement, ns: string, name: string): string[] {
  const out: string[] = [];
  const walk = (e: DomElement) => {
    for (const c of childElements(e)) {
      if (c.namespaceURI === ns && c.localName === name) out.push((c.textContent ?? '').trim());
      walk(c);
    }
  };
  walk(node);
  return out;
}

/**
 * Checks a DUIS document's enveloped signature. The key is looked up by X509SerialNumber alone,
 * as DCC Boxed's validator does (the issuer name is not compared); exactly one Signature and one
 * serial are required. The document is checked verbatim and, failing that, with insignificant
 * whitespace and comments removed, the form Boxed's verifier checks (DUIS.md §9 trap 1).
 */
export function verifyDuis(
  xml: string,
  certificateBySerial: (decimal: string) => X509Certificate | undefined,
): SignatureVerdict {
  const doc = parseXml(xml);
  const signatures = signatureOf(doc);
  if (signatures.length === 0)
    return { ok: false, problem: 'unsigned', detail: 'the document carries no ds:Signature' };
  if (signatures.length > 1)
    return {
      ok: false,
      problem: 'malformed-signature',
      detail: `${signatures.length} ds:Signature elements (exactly one is allowed)`,
    };
  const signature = signatures[0] as DomElement;
  const serials = textsOf(signature, DS_NS, 'X509SerialNumber');
  if (serials.length !== 1 || !/^\d+$/.test(serials[0] as string))
    return {
      ok: false,
      problem: 'malformed-signature',
      detail: 'KeyInfo must name exactly one decimal X509SerialNumber',
    };
  const serial = serials[0] as string;
  const certificate = certificateBySerial(serial);
  if (certificate === undefined)
    return {
      ok: false,
      problem: 'unknown-certificate',
      detail: `no XmlSign certificate with serial ${serial} is trusted`,
    };
  const stripped = parseXml(xml);
  stripInsignificant(stripped);
  for (const candidate of [xml, serializeXml(stripped)]) {
    const check = new SignedXml({
      publicCert: certificate.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    });
    check.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256;
    try {
      const candidateDoc = parseXml(candidate);
      check.loadSignature(serializeXml(signatureOf(candidateDoc)[0] as DomElement));
      if (check.checkSignature(candidate)) return { ok: true, certificate, serial };
    } catch {
      // A signature xml-crypto cannot even evaluate counts as not verified; try the other form.
    }
  }
  return {
    ok: false,
    problem: 'bad-signature',
    detail: `the signature does not verify under certificate ${serial}`,
  };
}
