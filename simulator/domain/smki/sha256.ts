import * as crypto from 'node:crypto';

/**
 * SHA-256 of `data` in one native call. crypto.hash (node ≥ 20.12) costs about half of
 * createHash().update().digest() for the short inputs GBCS hashes (a KDF input, a message to
 * sign): that builds a Hash stream object per call. Older node 20 releases fall back to it.
 */
export const sha256: (data: Uint8Array) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer')
    : (data) => crypto.createHash('sha256').update(data).digest();
