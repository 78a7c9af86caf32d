import { createHash } from 'node:crypto';
import { ecdhSharedSecret } from './ecdh-shared-secret.js';

/** Anything that can give the ECDH shared secret Z for (own KA private key, peer KA public key). */
export interface SharedSecretSource {
  sharedSecret(ownPrivateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array;
}

/**
 * A bounded, least-recently-used memo of Z per (own KA private key, peer KA public key).
 *
 * Why caching Z is safe: both keys are long-term static KA keys from SMKI certificates, so Z
 * for a pair never changes; a memo returns exactly what `ecdhSharedSecret` would (the domain
 * stays deterministic). The per-message key is still fresh: `deriveMacKey` mixes originator,
 * kind, counter and recipient into it on every call. Z is no more sensitive than the private
 * key the caller already holds. After a credential replacement the new peer key is a new entry
 * and the old one ages out; call `clear()` to drop it at once.
 *
 * Why it helps: ECDH is ~120 µs, the KDF plus GMAC a few µs (STACK.md figures), and a device or
 * supplier talks to the same few peers over and over.
 *
 * Entries are keyed by SHA-256(own private key || peer public key), so no private key is kept
 * as a string. Failed derivations (invalid keys) are not cached: they throw every time.
 *
 * Callers pass the same key arrays message after message (a device's own key, its peers' keys
 * from its store), so the id is also remembered by the arrays' identity, with a copy of their
 * bytes that must still match: hashing the pair again cost ~1 µs of a ~4 µs MAC (#21), and a
 * key array changed in place is then a new pair, never the old Z.
 */
export class SharedSecretCache implements SharedSecretSource {
  private readonly entries = new Map<string, CachedSecret>();
  /** Counts uses: an entry's lastUse orders the entries from least to most recently used. */
  private uses = 0;
  /** Entry ids by (own key array, peer key array), with the bytes they had then. */
  private readonly idsByArray = new WeakMap<Uint8Array, WeakMap<Uint8Array, KnownPair>>();

  constructor(readonly capacity = 1024) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`SharedSecretCache capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Same result and same errors as `ecdhSharedSecret`; a copy, so callers can't poison the cache. */
  sharedSecret(ownPrivateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
    // Only well-sized keys reach the memo: own || peer is then unambiguous (32 + 65 bytes), so
    // a malformed pair can never hash to a cached pair's id and skip the checks that throw.
    if (!isSized(ownPrivateKey, 32) || !isSized(peerPublicKey, 65)) {
      return ecdhSharedSecret(ownPrivateKey, peerPublicKey);
    }
    const id = this.idOf(ownPrivateKey, peerPublicKey);
    let entry = this.entries.get(id);
    if (entry === undefined) {
      const z = ecdhSharedSecret(ownPrivateKey, peerPublicKey);
      if (this.entries.size >= this.capacity) this.evictLeastRecentlyUsed();
      entry = { z, lastUse: 0 };
      this.entries.set(id, entry);
    }
    // A hit only stamps the entry: deleting and re-inserting it, to keep the Map in use order,
    // cost ~0.5 µs, more than the rest of a hit (#21).
    entry.lastUse = ++this.uses;
    return new Uint8Array(entry.z);
  }

  private idOf(ownPrivateKey: Uint8Array, peerPublicKey: Uint8Array): string {
    let byPeer = this.idsByArray.get(ownPrivateKey);
    const known = byPeer?.get(peerPublicKey);
    if (known !== undefined && sameBytes(known.own, ownPrivateKey) && sameBytes(known.peer, peerPublicKey)) {
      return known.id;
    }
    const id = createHash('sha256').update(ownPrivateKey).update(peerPublicKey).digest('base64');
    if (byPeer === undefined) {
      byPeer = new WeakMap();
      this.idsByArray.set(ownPrivateKey, byPeer);
    }
    byPeer.set(peerPublicKey, {
      own: new Uint8Array(ownPrivateKey),
      peer: new Uint8Array(peerPublicKey),
      id,
    });
    return id;
  }

  clear(): void {
    for (const entry of this.entries.values()) entry.z.fill(0);
    this.entries.clear();
  }

  /**
   * A scan for the smallest lastUse: O(capacity), but only on a miss in a full cache, which
   * costs an ECDH (~85 µs) anyway, against a scan of 1,024 entries of a few µs.
   */
  private evictLeastRecentlyUsed(): void {
    let oldestId: string | undefined;
    let oldestUse = Number.POSITIVE_INFINITY;
    for (const [id, entry] of this.entries) {
      if (entry.lastUse < oldestUse) {
        oldestUse = entry.lastUse;
        oldestId = id;
      }
    }
    if (oldestId !== undefined) {
      this.entries.get(oldestId)?.z.fill(0);
      this.entries.delete(oldestId);
    }
  }
}

/** Z for one pair and when it was last asked for. */
interface CachedSecret {
  readonly z: Uint8Array;
  lastUse: number;
}

/** A pair's id and the key bytes it was computed from. */
interface KnownPair {
  readonly own: Uint8Array;
  readonly peer: Uint8Array;
  readonly id: string;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isSized(bytes: Uint8Array, length: number): boolean {
  return bytes instanceof Uint8Array && bytes.length === length;
}
