import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deriveKeyPair,
  signDeterministic,
  verifySignature,
} from '../../../../simulator/domain/smki/key-pair.js';
import { DeterministicEcdsaCrypto } from '../../../../simulator/pki/deterministic-crypto.js';

const data = new TextEncoder().encode('TBSCertificate bytes');
const ecdsa = { name: 'ECDSA', hash: 'SHA-256' };

describe('DeterministicEcdsaCrypto', () => {
  it('subtle.sign for an imported key is the RFC 6979 signature, the same every call', async () => {
    const keys = deriveKeyPair('seed', 'ca');
    const provider = new DeterministicEcdsaCrypto();
    const key = await provider.importSigningKey(keys);
    const first = new Uint8Array(await provider.subtle.sign(ecdsa, key, data));
    const second = new Uint8Array(await provider.subtle.sign(ecdsa, key, data));
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    expect(Buffer.from(first).equals(Buffer.from(signDeterministic(data, keys.privateKey)))).toBe(true);
    expect(verifySignature(data, first, keys.publicKey)).toBe(true);
  });

  it('refuses to sign with an ECDSA key it did not import, rather than fall back to random k', async () => {
    const provider = new DeterministicEcdsaCrypto();
    const foreign = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
    ]);
    await expect(provider.subtle.sign(ecdsa, foreign.privateKey, data)).rejects.toThrow(/importSigningKey/);
  });

  it('refuses ECDSA with a hash other than SHA-256', async () => {
    const provider = new DeterministicEcdsaCrypto();
    const key = await provider.importSigningKey(deriveKeyPair('seed', 'ca'));
    await expect(provider.subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, key, data)).rejects.toThrow(
      /SHA-256/,
    );
  });

  it('passes every other operation to node WebCrypto', async () => {
    const provider = new DeterministicEcdsaCrypto();
    const digest = new Uint8Array(await provider.subtle.digest('SHA-256', data));
    expect(Buffer.from(digest).toString('hex')).toBe(
      Buffer.from(await webcrypto.subtle.digest('SHA-256', data)).toString('hex'),
    );
    expect(provider.getRandomValues(new Uint8Array(8))).toHaveLength(8);
  });
});
