import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compressSha256Block,
  SHA256_INITIAL_STATE,
} from '../../../../../simulator/domain/smki/sha256-block.js';

/** SHA-256 of `message` by padding it (FIPS 180-4 §5.1.1) and folding in each block. */
function sha256ByBlocks(message: Uint8Array): string {
  const blocks = Math.ceil((message.length + 9) / 64);
  const padded = new Uint8Array(64 * blocks);
  padded.set(message);
  padded[message.length] = 0x80;
  new DataView(padded.buffer).setUint32(padded.length - 4, message.length * 8);
  const state = new Int32Array(SHA256_INITIAL_STATE);
  const view = new DataView(padded.buffer);
  for (let b = 0; b < blocks; b++) {
    const block = Int32Array.from({ length: 16 }, (_, w) => view.getInt32(64 * b + 4 * w));
    compressSha256Block(state, block);
  }
  const digest = new DataView(new ArrayBuffer(32));
  for (let i = 0; i < 8; i++) digest.setInt32(4 * i, state[i] as number);
  return Buffer.from(digest.buffer).toString('hex');
}

describe('SHA-256 compression by hand', () => {
  it('FIPS 180-4 - hashes "abc" to the standard example digest', () => {
    expect(sha256ByBlocks(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('gives node:crypto SHA-256 digests for messages of one to four blocks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (message) => {
        expect(sha256ByBlocks(message)).toBe(createHash('sha256').update(message).digest('hex'));
      }),
      { seed: 180, numRuns: 300 },
    );
  });
});
