import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modularInverse } from '../../../../../simulator/domain/smki/modular-inverse.js';

/** The P-256 group order n and field prime p: the moduli trialsim inverts under. */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;

/** The textbook extended Euclid (what rfc6979-ecdsa.ts used before Lehmer): the reference. */
function textbookInverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [m, a];
  let [t0, t1] = [0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return t0 < 0n ? t0 + m : t0;
}

const below = (m: bigint) => fc.bigInt({ min: 1n, max: m - 1n });

describe('modularInverse (Lehmer)', () => {
  it('equals the textbook extended Euclid and a·a⁻¹ ≡ 1, for any a mod the P-256 order and field prime', () => {
    fc.assert(
      fc.property(fc.constantFrom(N, P), fc.nat(255), below(N), (m, bits, wide) => {
        // Scalars of every size, so the leading-digit and the Number-only stages both get exercised.
        const a = (wide >> BigInt(bits)) % m || 1n;
        const inverse = modularInverse(a, m);
        expect(inverse).toBe(textbookInverse(a, m));
        expect((a * inverse) % m).toBe(1n);
      }),
      { seed: 6979, numRuns: 3000 },
    );
  });

  it('is right at the edges: 1, 2, m - 1, m - 2, around 2^48 and 2^53, and for small moduli', () => {
    const edges = [
      1n,
      2n,
      3n,
      N - 1n,
      N - 2n,
      (1n << 48n) - 1n,
      1n << 48n,
      (1n << 48n) + 1n,
      1n << 53n,
      N >> 1n,
    ];
    for (const a of edges) expect(modularInverse(a, N)).toBe(textbookInverse(a, N));
    for (const m of [2n, 3n, 65537n, (1n << 61n) - 1n]) {
      for (let a = 1n; a < (m < 50n ? m : 50n); a++) expect((a * modularInverse(a, m)) % m).toBe(1n);
    }
  });

  it('refuses a outside (0, m) and an a sharing a factor with m', () => {
    expect(() => modularInverse(0n, N)).toThrow(RangeError);
    expect(() => modularInverse(N, N)).toThrow(RangeError);
    expect(() => modularInverse(6n, 9n)).toThrow(RangeError);
    expect(() => modularInverse(3n * (1n << 70n), 9n * (1n << 70n) + 9n)).toThrow(RangeError);
  });
});
