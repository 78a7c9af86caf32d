import { GbcsEncodeError } from './gbcs-codec-error.js';

/**
 * DER-style lengths, used by GBCS everywhere (GBCS.md §1): 0…127 in one byte, then `81 LL`,
 * `82 HH LL`, … Always the shortest form, as all RTDS messages write them.
 */
export function encodeDerLength(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0 || length > 0xffff_ffff) {
    throw new GbcsEncodeError(`a length must be an integer in [0, 2^32 - 1], got ${length}`);
  }
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** How many bytes `encodeDerLength(length)` writes. */
export function derLengthSize(length: number): number {
  if (length < 0x80) return 1;
  let size = 1;
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) size++;
  return size;
}
