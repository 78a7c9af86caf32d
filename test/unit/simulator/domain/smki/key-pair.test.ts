import { p256 } from '@noble/curves/nist.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deriveKeyPair,
  signDeterministic,
  verifySignature,
} from '../../../../../simulator/domain/smki/key-pair.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('deriveKeyPair', () => {
  it('same (seed, label) gives the same key pair; another seed or label gives another', () => {
    const a = deriveKeyPair('seed-1', 'org/supplier-a/ds');
    expect(toHex(deriveKeyPair('seed-1', 'org/supplier-a/ds').privateKey)).toBe(toHex(a.privateKey));
    expect(toHex(deriveKeyPair('seed-2', 'org/supplier-a/ds').privateKey)).not.toBe(toHex(a.privateKey));
    expect(toHex(deriveKeyPair('seed-1', 'org/supplier-a/ka').privateKey)).not.toBe(toHex(a.privateKey));
  });

  it('(seed, label) pairs do not collide when the split point moves', () => {
    expect(toHex(deriveKeyPair('ab', 'c').privateKey)).not.toBe(toHex(deriveKeyPair('a', 'bc').privateKey));
  });

  it('always gives a valid P-256 scalar and its uncompressed public point', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), (seed, label) => {
        const { privateKey, publicKey } = deriveKeyPair(seed, label);
        expect(privateKey).toHaveLength(32);
        expect(p256.utils.isValidSecretKey(privateKey)).toBe(true);
        expect(publicKey).toHaveLength(65);
        expect(toHex(publicKey)).toBe(toHex(p256.getPublicKey(privateKey, false)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('signDeterministic', () => {
  // RFC 6979 §A.2.5, P-256 with SHA-256.
  const rfcKey = hex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721');
  const rfcPublic = hex(
    '0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6' +
      '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
  );

  it('RFC 6979 A.2.5 - reproduces the published P-256/SHA-256 signature of "sample"', () => {
    expect(toHex(signDeterministic(utf8('sample'), rfcKey))).toBe(
      'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716' +
        'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
    );
    expect(verifySignature(utf8('sample'), signDeterministic(utf8('sample'), rfcKey), rfcPublic)).toBe(true);
  });

  it('RFC 6979 A.2.5 - reproduces the published P-256/SHA-256 signature of "test"', () => {
    expect(toHex(signDeterministic(utf8('test'), rfcKey))).toBe(
      'f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367' +
        '019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083',
    );
  });

  it('gives 64 bytes r‖s, the same every time for the same key and message', () => {
    const { privateKey } = deriveKeyPair('seed', 'signer');
    const first = signDeterministic(utf8('GBCS command'), privateKey);
    expect(first).toHaveLength(64);
    expect(toHex(signDeterministic(utf8('GBCS command'), privateKey))).toBe(toHex(first));
  });

  it('refuses a private key that is not 32 bytes', () => {
    expect(() => signDeterministic(utf8('m'), new Uint8Array(31))).toThrow(RangeError);
  });
});

describe('verifySignature', () => {
  const signer = deriveKeyPair('seed', 'signer');
  const other = deriveKeyPair('seed', 'other');
  const message = utf8('8.1.1 read instantaneous import registers');
  const signature = signDeterministic(message, signer.privateKey);

  it('accepts a signature made with the matching private key (node:crypto agrees with noble)', () => {
    expect(verifySignature(message, signature, signer.publicKey)).toBe(true);
  });

  it('rejects a tampered message, a tampered signature and the wrong public key', () => {
    const tamperedMessage = Uint8Array.from(message);
    tamperedMessage[0] = (tamperedMessage[0] as number) ^ 0x01;
    const tamperedSignature = Uint8Array.from(signature);
    tamperedSignature[40] = (tamperedSignature[40] as number) ^ 0x80;
    expect(verifySignature(tamperedMessage, signature, signer.publicKey)).toBe(false);
    expect(verifySignature(message, tamperedSignature, signer.publicKey)).toBe(false);
    expect(verifySignature(message, signature, other.publicKey)).toBe(false);
  });

  it('returns false, never throws, for malformed signatures and keys', () => {
    const offCurve = new Uint8Array(65).fill(1);
    offCurve[0] = 0x04;
    const compressed = p256.getPublicKey(signer.privateKey, true);
    const cases: [Uint8Array, Uint8Array][] = [
      [new Uint8Array(0), signer.publicKey],
      [signature.subarray(0, 63), signer.publicKey],
      [Uint8Array.from([...signature, 0]), signer.publicKey],
      [new Uint8Array(64), signer.publicKey], // r = s = 0
      [new Uint8Array(64).fill(0xff), signer.publicKey], // r, s ≥ n
      [signature, new Uint8Array(0)],
      [signature, compressed],
      [signature, offCurve],
      [signature, Uint8Array.from(signer.publicKey).fill(0x05, 0, 1)],
    ];
    for (const [sig, key] of cases) expect(verifySignature(message, sig, key)).toBe(false);
    const notBytes = undefined as unknown as Uint8Array;
    expect(verifySignature(notBytes, signature, signer.publicKey)).toBe(false);
    expect(verifySignature(message, notBytes, signer.publicKey)).toBe(false);
    expect(verifySignature(message, signature, notBytes)).toBe(false);
  });

  it('a signature verifies for its own message and for no other (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (mine, theirs) => {
        const sig = signDeterministic(mine, signer.privateKey);
        expect(verifySignature(mine, sig, signer.publicKey)).toBe(true);
        expect(verifySignature(theirs, sig, signer.publicKey)).toBe(toHex(mine) === toHex(theirs));
      }),
      { numRuns: 200 },
    );
  });
});
