import 'reflect-metadata';
import type { webcrypto } from 'node:crypto';
import {
  type Extension,
  Name,
  type X509CertificateCreateWithKeyParams,
  X509CertificateGenerator,
} from '@peculiar/x509';
import { p256Spki } from '../domain/smki/key-encoding.js';
import type { KeyPair } from '../domain/smki/key-pair.js';
import { DeterministicEcdsaCrypto } from './deterministic-crypto.js';

/** A CA able to sign: its subject (DER Name), its keys, and its key as the signing provider knows it. */
export interface SigningAuthority {
  readonly subject: Uint8Array;
  readonly keys: KeyPair;
  readonly signingKey: webcrypto.CryptoKey;
}

export interface CertificateRequest {
  /** Hex, as deriveSerialNumber gives it. */
  readonly serialNumber: string;
  /** DER Name; `undefined` for the empty subject of a device certificate. */
  readonly subject: Uint8Array | undefined;
  readonly publicKey: Uint8Array;
  readonly issuer: SigningAuthority;
  readonly extensions: readonly Extension[];
}

export interface EncodedCertificate {
  readonly der: Uint8Array;
  readonly pem: string;
}

/**
 * Signs certificates with @peculiar/x509 through a deterministic ECDSA provider, so the same
 * requests give the same bytes. One issuer per PKI: it owns the provider that knows the CA keys.
 */
export class CertificateIssuer {
  private readonly crypto = new DeterministicEcdsaCrypto();

  constructor(
    private readonly notBefore: Date,
    private readonly notAfter: Date,
  ) {}

  async authority(subject: Uint8Array, keys: KeyPair): Promise<SigningAuthority> {
    return { subject, keys, signingKey: await this.crypto.importSigningKey(keys) };
  }

  async issue(request: CertificateRequest): Promise<EncodedCertificate> {
    const params: X509CertificateCreateWithKeyParams = {
      serialNumber: request.serialNumber,
      issuer: new Name(request.issuer.subject),
      notBefore: this.notBefore,
      notAfter: this.notAfter,
      publicKey: p256Spki(request.publicKey),
      signingKey: request.issuer.signingKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams,
      extensions: [...request.extensions],
    };
    // Left out rather than empty: the generator then writes an empty SEQUENCE as the subject.
    if (request.subject !== undefined) params.subject = new Name(request.subject);
    const certificate = await X509CertificateGenerator.create(params, this.crypto);
    const pem = certificate.toString('pem');
    return { der: new Uint8Array(certificate.rawData), pem: pem.endsWith('\n') ? pem : `${pem}\n` };
  }
}
