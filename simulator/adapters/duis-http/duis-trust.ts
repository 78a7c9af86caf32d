import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CertificateHashes } from '../../domain/duis/xml/duis-response-xml.js';
import type { Eui } from '../../domain/eui.js';
import { readCertificateIdentity } from '../../domain/smki/certificate-identity.js';
import type { TestPki } from '../../pki/test-pki.js';
import { decimalSerial, type XmlSigner } from './xml-signature.js';

/** Whose XML the DUIS endpoint accepts, and how the DCC signs its own (DUIS.md §7). */
export interface DuisTrust {
  /** `trialsim`: certificates from the run's seed. `zaz1`: DCC Boxed's public test keys. */
  readonly pki: 'trialsim' | 'zaz1';
  /** The DCC's DSP XmlSign key and certificate: every response and alert is signed with it. */
  readonly dccSigner: XmlSigner;
  /** A User's XmlSign certificate by decimal serial (Boxed looks keys up by serial alone). */
  userBySerial(decimal: string): { readonly eui: Eui; readonly certificate: X509Certificate } | undefined;
}

function rawScalar(pkcs8: Buffer, format: 'der' | 'pem'): Uint8Array {
  const jwk = createPrivateKey(
    format === 'der' ? { key: pkcs8, format, type: 'pkcs8' } : { key: pkcs8, format },
  ).export({
    format: 'jwk',
  });
  if (jwk.d === undefined) throw new Error('the key file holds no private key');
  return new Uint8Array(Buffer.from(jwk.d, 'base64url'));
}

function byEui(certificates: readonly X509Certificate[]) {
  const map = new Map<string, { eui: Eui; certificate: X509Certificate }>();
  for (const certificate of certificates) {
    const identity = readCertificateIdentity(new Uint8Array(certificate.raw));
    if (identity === undefined) continue;
    map.set(decimalSerial(certificate), { eui: identity.eui, certificate });
  }
  return map;
}

/** trialsim's own XmlSign certificates: the ACB's DSP XmlSign for the DCC, each User's XmlSign. */
export function trialsimDuisTrust(pki: TestPki): DuisTrust {
  const dsp = pki.organisations.find((o) => o.role === 'accessControlBroker')?.xmlSign;
  if (dsp === undefined)
    throw new Error('the test PKI holds no DSP XmlSign certificate (the ACB needs xmlSign: dsp)');
  const users = byEui(
    pki.organisations
      .filter((o) => o.role !== 'accessControlBroker' && o.xmlSign !== undefined)
      .map((o) => new X509Certificate(o.xmlSign?.der as Uint8Array)),
  );
  return {
    pki: 'trialsim',
    dccSigner: { privateKey: dsp.keys.privateKey, certificate: new X509Certificate(dsp.der) },
    userBySerial: (decimal) => users.get(decimal),
  };
}

/**
 * The DS and KA certificate hashes of each organisation in the run's PKI, by EUI, as a
 * SecurityCredentialsUpdated DCC alert names them (DUIS `CertificateHash`, type SHA1): the SHA-1
 * of the certificate's DER, base64. Without them the alert would be invalid DUIS and never sent.
 */
export function organisationCertificateHashes(pki: TestPki): CertificateHashes {
  const sha1 = (der: Uint8Array) => createHash('sha1').update(der).digest('base64');
  const table = new Map(pki.organisations.map((o) => [o.eui, { ds: sha1(o.ds.der), ka: sha1(o.ka.der) }]));
  return (eui) => table.get(eui.toUpperCase() as Eui);
}

/** The ZAZ1 files trialsim ships (fixtures/duis/zaz1, origin in its README). */
export const ZAZ1_FILES = {
  dspCertificate: 'Z1-accessControlBroker-dSPXmlSign.pem',
  dspKey: 'Z1-accessControlBroker-dSPXmlSign.key',
  users: [
    'xml-sign-90B3D51F30010000-ds.pem',
    'xml-sign-90B3D51F30020000-ds.pem',
    'xml-sign-00DB123456780004-ds.pem',
  ],
} as const;

/**
 * DCC Boxed compatibility (`--pki zaz1`): the DCC signs with Boxed's public DSP XmlSign key and
 * accepts the public ZAZ1 User XmlSign certificates, so a client configured for DCC Boxed works
 * against trialsim unchanged. Test keys, published on purpose; never trust them outside a test.
 */
export async function zaz1DuisTrust(dir: string): Promise<DuisTrust> {
  const [cert, key, ...users] = await Promise.all([
    readFile(join(dir, ZAZ1_FILES.dspCertificate)),
    readFile(join(dir, ZAZ1_FILES.dspKey)),
    ...ZAZ1_FILES.users.map((f) => readFile(join(dir, f))),
  ]);
  const table = byEui(users.map((u) => new X509Certificate(u)));
  return {
    pki: 'zaz1',
    dccSigner: {
      privateKey: rawScalar(key as Buffer, 'der'),
      certificate: new X509Certificate(cert as Buffer),
    },
    userBySerial: (decimal) => table.get(decimal),
  };
}

/** A ZAZ1 User's signer, from its DER PKCS#8 `.key` and PEM certificate (tests, `duis send --pki zaz1`). */
export async function zaz1UserSigner(dir: string, hexEui: string): Promise<XmlSigner> {
  const [key, cert] = await Promise.all([
    readFile(join(dir, `xml-sign-${hexEui}-ds.key`)),
    readFile(join(dir, `xml-sign-${hexEui}-ds.pem`)),
  ]);
  return { privateKey: rawScalar(key, 'der'), certificate: new X509Certificate(cert) };
}

/** A signer from PEM files (`<party>-xml-sign.key.pem` and `.pem`, as `trialsim up` exports them). */
export async function pemSigner(keyFile: string, certificateFile: string): Promise<XmlSigner> {
  const [key, cert] = await Promise.all([readFile(keyFile), readFile(certificateFile)]);
  return { privateKey: rawScalar(key, 'pem'), certificate: new X509Certificate(cert) };
}
