import { createHash } from 'node:crypto';
import { type Eui, euiToBytes } from '../domain/eui.js';
import { derConcat, derSequence, derTlv, readDer, readDerChildren } from '../domain/smki/der.js';
import { signDeterministic } from '../domain/smki/key-pair.js';

/**
 * Device certificates by substitution. Every device certificate one issuer signs for one key
 * usage has the same layout: only the serial number (16 bytes), the EUI in subjectAltName
 * (8 bytes), the public key (65 bytes) and its key identifier (20 bytes) differ — all fixed
 * lengths. So after @peculiar/x509 has built one such certificate, the next device's
 * TBSCertificate is that one with four byte ranges replaced, then signed: ~0.1 ms instead of
 * ~3–4 ms, which is what makes 10,000-device PKIs practical.
 *
 * The result is byte-for-byte what @peculiar/x509 would have built (test/unit/simulator/pki/device-certificate-template.test.ts checks it against
 * the library for many devices). If a template's fields cannot be found exactly once, `from`
 * returns undefined and the caller keeps using the library.
 */
export interface TemplateFields {
  readonly der: Uint8Array;
  readonly serialNumber: string;
  readonly eui: Eui;
  readonly publicKey: Uint8Array;
}

interface Slot {
  readonly at: number;
  readonly length: number;
}

const DER_SEQUENCE = 0x30;
const DER_INTEGER = 0x02;
const DER_BIT_STRING = 0x03;

export class DeviceCertificateTemplate {
  private constructor(
    private readonly tbs: Uint8Array,
    private readonly signatureAlgorithm: Uint8Array,
    private readonly serial: Slot,
    private readonly eui: Slot,
    private readonly publicKey: Slot,
    private readonly keyIdentifier: Slot,
  ) {}

  static from(template: TemplateFields): DeviceCertificateTemplate | undefined {
    try {
      return DeviceCertificateTemplate.parse(template);
    } catch {
      return undefined; // not a certificate we can read: the library path stays in use
    }
  }

  private static parse(template: TemplateFields): DeviceCertificateTemplate | undefined {
    const certificate = readDer(template.der);
    if (certificate.tag !== DER_SEQUENCE || certificate.end !== template.der.length) return undefined;
    const [tbsElement, algorithm] = readDerChildren(certificate.content);
    if (tbsElement === undefined || algorithm === undefined) return undefined;
    const tbs = rawElement(certificate.content, 0);
    const algorithmBytes = rawElement(certificate.content, tbs.length);
    const find = (needle: Uint8Array): Slot | undefined => {
      const at = indexOnce(tbs, needle);
      return at === undefined ? undefined : { at, length: needle.length };
    };
    const serial = find(Buffer.from(template.serialNumber, 'hex'));
    const eui = find(euiToBytes(template.eui));
    const publicKey = find(template.publicKey);
    const keyIdentifier = find(sha1(template.publicKey));
    if (serial === undefined || eui === undefined || publicKey === undefined || keyIdentifier === undefined) {
      return undefined;
    }
    return new DeviceCertificateTemplate(tbs, algorithmBytes, serial, eui, publicKey, keyIdentifier);
  }

  /** The certificate for another device, signed by the template's issuer key. */
  issue(
    fields: { serialNumber: string; eui: Eui; publicKey: Uint8Array },
    issuerPrivateKey: Uint8Array,
  ): { der: Uint8Array; pem: string } {
    const serial = Buffer.from(fields.serialNumber, 'hex');
    if (serial.length !== this.serial.length || (serial[0] as number) & 0x80 || serial[0] === 0) {
      throw new RangeError('device certificate template: the serial number must keep the template layout');
    }
    const tbs = Uint8Array.from(this.tbs);
    tbs.set(serial, this.serial.at);
    tbs.set(euiToBytes(fields.eui), this.eui.at);
    tbs.set(fields.publicKey, this.publicKey.at);
    tbs.set(sha1(fields.publicKey), this.keyIdentifier.at);
    const rs = signDeterministic(tbs, issuerPrivateKey);
    const signature = derSequence(derInteger(rs.subarray(0, 32)), derInteger(rs.subarray(32)));
    const der = derSequence(
      tbs,
      this.signatureAlgorithm,
      derTlv(DER_BIT_STRING, derConcat([Uint8Array.of(0), signature])),
    );
    return { der, pem: toPem(der) };
  }
}

/** The element at `offset` of `content`, tag and length included. */
function rawElement(content: Uint8Array, offset: number): Uint8Array {
  return content.subarray(offset, readDer(content, offset).end);
}

function indexOnce(haystack: Uint8Array, needle: Uint8Array): number | undefined {
  const buffer = Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength);
  const first = buffer.indexOf(needle);
  if (first < 0 || buffer.indexOf(needle, first + 1) >= 0) return undefined;
  return first;
}

function sha1(bytes: Uint8Array): Uint8Array {
  return createHash('sha1').update(bytes).digest();
}

/** A positive INTEGER from big-endian bytes: minimal, with a 0x00 pad if the top bit is set. */
function derInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  const content = (trimmed[0] as number) & 0x80 ? derConcat([Uint8Array.of(0), trimmed]) : trimmed;
  return derTlv(DER_INTEGER, content);
}

/** RFC 7468 textual encoding, as @peculiar/x509 writes it: 64-character lines, LF, final newline. */
export function toPem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
