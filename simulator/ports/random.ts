/** Randomness as the domain sees it: always from a seed, so the same seed gives the same run. */
export interface Random {
  /** A uniformly distributed integer in [0, 2^32). */
  nextUint32(): number;
  /** A float in [0, 1). */
  nextFloat(): number;
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
  /** An independent stream derived from this one's seed and a label (e.g. one per device). */
  fork(label: string): Random;
}
