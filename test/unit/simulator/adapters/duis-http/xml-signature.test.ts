import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../../../../../harness/package-root.js';
import { pkiOrganisations } from '../../../../../harness/stack/parties.js';
import {
  decimalSerial,
  rfc2253Issuer,
  signDuis,
  verifyDuis,
  type XmlSigner,
} from '../../../../../simulator/adapters/duis-http/xml-signature.js';
import { generateTestPki } from '../../../../../simulator/pki/test-pki.js';
import { implementedSrvTemplates } from '../../../../support/duis-templates.js';

const pki = await generateTestPki({
  seed: 'xml-signature-test',
  notBefore: Date.UTC(2026, 0, 1),
  organisations: pkiOrganisations(),
  devices: [],
});

function signerOf(name: string): XmlSigner {
  const cert = pki.organisation(name).xmlSign;
  if (cert === undefined) throw new Error(`${name} has no XmlSign certificate`);
  return { privateKey: cert.keys.privateKey, certificate: new X509Certificate(cert.der) };
}

const trusted = (certs: X509Certificate[]) => (serial: string) =>
  certs.find((c) => decimalSerial(c) === serial);

const ZAZ1 = join(FIXTURES_DIR, 'duis', 'zaz1');
const zaz1Supplier: XmlSigner = {
  privateKey: new Uint8Array(
    Buffer.from(
      createPrivateKey({
        key: readFileSync(join(ZAZ1, 'xml-sign-90B3D51F30010000-ds.key')),
        format: 'der',
        type: 'pkcs8',
      }).export({ format: 'jwk' }).d as string,
      'base64url',
    ),
  ),
  certificate: new X509Certificate(readFileSync(join(ZAZ1, 'xml-sign-90B3D51F30010000-ds.pem'))),
};

const templates = implementedSrvTemplates();
const minified = (xml: string) =>
  xml
    .replace(/<\?xml[^>]*\?>/, '')
    .replace(/>\s+</g, '><')
    .trim();

describe('XMLDSig as DCC Boxed does it (DUIS.md §7)', () => {
  it('every User gets an OU=87 XmlSign certificate and the ACB (the DCC) an OU=89 DSP XmlSign certificate', () => {
    for (const party of ['supplier-a', 'supplier-b', 'network-operator', 'other-user']) {
      expect(new X509Certificate(pki.organisation(party).xmlSign?.der ?? new Uint8Array()).subject).toMatch(
        /OU=87/,
      );
    }
    expect(new X509Certificate(pki.organisation('acb').xmlSign?.der ?? new Uint8Array()).subject).toMatch(
      /OU=89/,
    );
  });

  it('a signature names its certificate by issuer (RFC 2253, Java order) and decimal serial', () => {
    const signed = signDuis(minified(templates[0]?.xml ?? ''), zaz1Supplier);
    expect(signed).toContain('<ds:X509IssuerName>CN=Z1,OU=07</ds:X509IssuerName>');
    expect(signed).toContain(
      '<ds:X509SerialNumber>27572613927499351639968579586655397031</ds:X509SerialNumber>',
    );
    expect(rfc2253Issuer(zaz1Supplier.certificate)).toBe('CN=Z1,OU=07');
  });

  it('the profile is exact: enveloped, last child, exclusive C14N for SignedInfo, no C14N transform, ECDSA-SHA256, raw r‖s', () => {
    const signed = signDuis(minified(templates[0]?.xml ?? ''), signerOf('supplier-a'));
    expect(signed).toMatch(/<ds:Signature [^>]*>[\s\S]*<\/ds:Signature><\/sr:Request>$/);
    expect(signed).toContain(
      '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
    );
    expect(signed).toContain(
      '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/>',
    );
    expect(signed).toContain(
      '<ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></ds:Transforms>',
    );
    const value = /<ds:SignatureValue>([^<]+)</.exec(signed)?.[1] ?? '';
    expect(Buffer.from(value, 'base64')).toHaveLength(64);
  });

  it('signing is deterministic (RFC 6979): the same document and key give the same bytes', () => {
    const xml = minified(templates[0]?.xml ?? '');
    expect(signDuis(xml, signerOf('supplier-a'))).toBe(signDuis(xml, signerOf('supplier-a')));
  });

  for (const template of templates) {
    it(`${template.file}: signed with a test User key, verifies under that key only`, () => {
      const signer = signerOf('supplier-a');
      const signed = signDuis(minified(template.xml), signer);
      expect(verifyDuis(signed, trusted([signer.certificate])).ok).toBe(true);
      const other = signerOf('supplier-b');
      // Same serial claimed, other key: the lookup returns the real certificate, the check fails.
      const forged = signDuis(minified(template.xml), { ...other, certificate: signer.certificate });
      expect(verifyDuis(forged, trusted([signer.certificate]))).toMatchObject({
        ok: false,
        problem: 'bad-signature',
      });
    });
  }

  it('a ZAZ1-signed request verifies under the public ZAZ1 certificate, also when re-indented after signing', () => {
    const signed = signDuis(minified(templates[0]?.xml ?? ''), zaz1Supplier);
    const indented = signed.replace(/><sr:/g, '>\n  <sr:');
    expect(verifyDuis(signed, trusted([zaz1Supplier.certificate])).ok).toBe(true);
    expect(verifyDuis(indented, trusted([zaz1Supplier.certificate])).ok).toBe(true);
  });

  it('refuses an unsigned document, an unknown certificate, a tampered body and a duplicated signature', () => {
    const signer = signerOf('supplier-a');
    const xml = minified(templates.find((t) => t.srv === '8.2')?.xml ?? '');
    const signed = signDuis(xml, signer);
    const trust = trusted([signer.certificate]);
    expect(verifyDuis(xml, trust)).toMatchObject({ ok: false, problem: 'unsigned' });
    expect(verifyDuis(signed, trusted([]))).toMatchObject({ ok: false, problem: 'unknown-certificate' });
    expect(verifyDuis(signed.replace('90-A2<', '90-A3<'), trust)).toMatchObject({
      ok: false,
      problem: 'bad-signature',
    });
    const signature = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)?.[0] ?? '';
    expect(verifyDuis(signed.replace('</sr:Request>', `${signature}</sr:Request>`), trust)).toMatchObject({
      ok: false,
      problem: 'malformed-signature',
    });
  });

  it('the template placeholder signature (ZGVmYXVsdA==, serial 1234567890) never verifies', () => {
    const raw = readFileSync(
      join(
        FIXTURES_DIR,
        '..',
        'node_modules',
        '@smartdcc',
        'duis-templates',
        'templates',
        templates[0]?.file ?? '',
      ),
      'utf8',
    );
    const placeholderCert = new X509Certificate(readFileSync(join(ZAZ1, 'xml-sign-90B3D51F30010000-ds.pem')));
    expect(verifyDuis(raw.replace(/<!--[\s\S]*?-->/g, ''), () => placeholderCert).ok).toBe(false);
  });
});
