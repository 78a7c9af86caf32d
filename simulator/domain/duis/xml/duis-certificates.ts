import { X509Certificate } from 'node:crypto';
import type { Eui } from '../../eui.js';
import { readCertificateIdentity } from '../../smki/certificate-identity.js';

/** What a DUIS request's base64 DER certificate (6.15.1, 6.23) tells the DCC. */
export interface CarriedCertificate {
  readonly der: Uint8Array;
  /** Lower-case hex without leading zeros, as trialsim's SMKI names serials. */
  readonly serialNumber: string;
  readonly eui: Eui | undefined;
  /** Uncompressed P-256 point, hex. */
  readonly publicKeyHex: string;
}

/** Reads a certificate carried in a DUIS body; `undefined` if it is not a P-256 X.509 certificate. */
export function readCarriedCertificate(base64: string): CarriedCertificate | undefined {
  const der = new Uint8Array(Buffer.from(base64.replace(/\s+/g, ''), 'base64'));
  try {
    const cert = new X509Certificate(der);
    const jwk = cert.publicKey.export({ format: 'jwk' });
    if (jwk.crv !== 'P-256' || jwk.x === undefined || jwk.y === undefined) return undefined;
    const point = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwk.x, 'base64url'),
      Buffer.from(jwk.y, 'base64url'),
    ]);
    let eui: Eui | undefined;
    try {
      eui = readCertificateIdentity(der)?.eui;
    } catch {
      eui = undefined;
    }
    return {
      der,
      serialNumber: cert.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
      eui,
      publicKeyHex: point.toString('hex'),
    };
  } catch {
    return undefined;
  }
}
