import { createECDH, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecdhSharedSecret } from '../../../../../../simulator/domain/gbcs/protection/ecdh-shared-secret.js';
import { GbcsProtectionError } from '../../../../../../simulator/domain/gbcs/protection/protection-error.js';
import { SharedSecretCache } from '../../../../../../simulator/domain/gbcs/protection/shared-secret-cache.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function kaKeyPair(seed: string) {
  const privateKey = new Uint8Array(createHash('sha256').update(seed).digest());
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(privateKey);
  return { privateKey, publicKey: new Uint8Array(ecdh.getPublicKey()) };
}

const own = kaKeyPair('own');
const peers = ['peer a', 'peer b', 'peer c'].map(kaKeyPair);
const [a, b, c] = peers as [(typeof peers)[0], (typeof peers)[0], (typeof peers)[0]];

describe('SharedSecretCache (PROTECTION.md §3.2)', () => {
  it('PROTECTION.md §3.2 - returns exactly the Z that ecdhSharedSecret computes, on a miss and on a hit', () => {
    const cache = new SharedSecretCache();
    const expected = hex(ecdhSharedSecret(own.privateKey, a.publicKey));
    expect(hex(cache.sharedSecret(own.privateKey, a.publicKey))).toBe(expected);
    expect(hex(cache.sharedSecret(own.privateKey, a.publicKey))).toBe(expected);
    expect(cache.size).toBe(1);
  });

  it('PROTECTION.md §3.2 - keys entries by both keys: another own key or another peer is another entry', () => {
    const cache = new SharedSecretCache();
    const zA = hex(cache.sharedSecret(own.privateKey, a.publicKey));
    const zB = hex(cache.sharedSecret(own.privateKey, b.publicKey));
    const zFromA = hex(cache.sharedSecret(a.privateKey, own.publicKey));
    expect(zB).not.toBe(zA);
    expect(zFromA).toBe(zA); // ECDH symmetry: a different entry, the same secret
    expect(cache.size).toBe(3);
  });

  it('PROTECTION.md §3.2 - stays within its capacity, evicting the least recently used pair', () => {
    const cache = new SharedSecretCache(2);
    cache.sharedSecret(own.privateKey, a.publicKey);
    cache.sharedSecret(own.privateKey, b.publicKey);
    cache.sharedSecret(own.privateKey, a.publicKey); // a is now the most recent
    cache.sharedSecret(own.privateKey, c.publicKey); // evicts b
    expect(cache.size).toBe(2);
    expect(hex(cache.sharedSecret(own.privateKey, b.publicKey))).toBe(
      hex(ecdhSharedSecret(own.privateKey, b.publicKey)),
    );
    expect(cache.size).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('PROTECTION.md §3.2 - a caller changing the returned bytes does not change what the cache returns next', () => {
    const cache = new SharedSecretCache();
    const first = cache.sharedSecret(own.privateKey, a.publicKey);
    const expected = hex(first);
    first.fill(0);
    expect(hex(cache.sharedSecret(own.privateKey, a.publicKey))).toBe(expected);
  });

  it('PROTECTION.md §3.1 - invalid keys throw the same typed error every time and are never cached', () => {
    const cache = new SharedSecretCache();
    const offCurve = Uint8Array.from(a.publicKey);
    offCurve[64] = ((offCurve[64] ?? 0) ^ 1) & 0xff;
    for (let i = 0; i < 2; i++) {
      expect(() => cache.sharedSecret(own.privateKey, offCurve)).toThrow(GbcsProtectionError);
    }
    expect(cache.size).toBe(0);
  });

  it('PROTECTION.md §3.2 - a malformed pair whose concatenation equals a cached pair still throws (no lookup before length checks)', () => {
    const cache = new SharedSecretCache();
    cache.sharedSecret(own.privateKey, a.publicKey);
    const shorterOwn = own.privateKey.subarray(0, 31);
    const longerPeer = Uint8Array.of(own.privateKey[31] ?? 0, ...a.publicKey);
    expect(() => cache.sharedSecret(shorterOwn, longerPeer)).toThrow(
      expect.objectContaining({ code: 'GBCS_INVALID_PEER_PUBLIC_KEY' }),
    );
  });

  it('refuses a capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) {
      expect(() => new SharedSecretCache(capacity)).toThrow(RangeError);
    }
  });
});

describe('SharedSecretCache by key arrays (#21)', () => {
  it('PROTECTION.md §3.2 - a key array changed in place is another pair: its own Z, never the old one', () => {
    const cache = new SharedSecretCache();
    const ownKey = Uint8Array.from(own.privateKey);
    const peerKey = Uint8Array.from(a.publicKey);
    expect(hex(cache.sharedSecret(ownKey, peerKey))).toBe(hex(ecdhSharedSecret(own.privateKey, a.publicKey)));
    peerKey.set(b.publicKey);
    expect(hex(cache.sharedSecret(ownKey, peerKey))).toBe(hex(ecdhSharedSecret(own.privateKey, b.publicKey)));
    ownKey.set(c.privateKey);
    expect(hex(cache.sharedSecret(ownKey, peerKey))).toBe(hex(ecdhSharedSecret(c.privateKey, b.publicKey)));
  });

  it('PROTECTION.md §3.2 - equal keys in other arrays find the same entry', () => {
    const cache = new SharedSecretCache();
    const z = hex(cache.sharedSecret(own.privateKey, a.publicKey));
    expect(hex(cache.sharedSecret(Uint8Array.from(own.privateKey), Uint8Array.from(a.publicKey)))).toBe(z);
    expect(cache.size).toBe(1);
  });
});
