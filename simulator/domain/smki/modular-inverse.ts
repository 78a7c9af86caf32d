/**
 * a⁻¹ mod m by Lehmer's extended Euclidean algorithm (Knuth, TAOCP vol. 2, §4.5.2, Algorithm L).
 *
 * Why not the textbook extended Euclid on BigInt: for a 256-bit modulus it takes ~150 steps of
 * five BigInt operations each, ~24 µs, most of an RFC 6979 signature's cost; node:crypto exposes
 * no modular inverse, and k^(n-2) mod n as an RSA public operation takes ~16 µs. Lehmer
 * runs the Euclidean steps on the leading 48 bits of the two remainders as plain Numbers, as long
 * as those steps are provably the ones the full numbers would take, and then applies the
 * gathered 2×2 cofactor matrix to the BigInts at once: ~12 rounds of eight BigInt products
 * instead of ~150 steps, ~7 µs.
 *
 * Every Number below stays under 2^50 (leading digits < 2^48, cofactors bounded by them), so all
 * the Number arithmetic is exact. Not constant-time, like the BigInt Euclid it replaces: trialsim
 * signs test messages with seed-derived keys, so timing leaks protect nothing here.
 */

const DIGIT_BITS = 48;
/** Below this a remainder is exact as a Number. */
const SMALL = 1n << BigInt(DIGIT_BITS);

/**
 * a⁻¹ mod m, for 0 < a < m with gcd(a, m) = 1 (m prime: any a in [1, m - 1]). Throws RangeError
 * otherwise.
 *
 * Math.floor(x / y) below is the exact ⌊x / y⌋: |x|, |y| < 2^50, so the distance from x / y to
 * the next integer, at least 1 / |y| > 2^-50 · |x / y|, is far more than the quotient's rounding
 * error (2^-53 of it).
 */
export function modularInverse(a: bigint, m: bigint): bigint {
  if (a <= 0n || a >= m) throw new RangeError('modularInverse needs 0 < a < m');
  // Invariants: tu·a ≡ u and tv·a ≡ v (mod m); u > v ≥ 0.
  let u = m;
  let v = a;
  let tu = 0n;
  let tv = 1n;
  while (u >= SMALL) {
    // Leading digits of u and v, cut at the same bit; Number(u) may round up, which only moves
    // the cut one bit lower.
    const shift = BigInt(Math.max(0, Math.floor(Math.log2(Number(u))) + 1 - DIGIT_BITS));
    let uh = Number(u >> shift);
    let vh = Number(v >> shift);
    // The steps' matrix [[A, B], [C, D]], taken while the quotient is certain: the same for both
    // extremes of what the cut-off bits may hold (Algorithm L2–L3).
    let A = 1;
    let B = 0;
    let C = 0;
    let D = 1;
    while (vh + C !== 0 && vh + D !== 0) {
      const q = Math.floor((uh + A) / (vh + C));
      if (q !== Math.floor((uh + B) / (vh + D))) break;
      let t = A - q * C;
      A = C;
      C = t;
      t = B - q * D;
      B = D;
      D = t;
      t = uh - q * vh;
      uh = vh;
      vh = t;
    }
    if (B === 0) {
      // Not one quotient certain (v far below u): one full-precision step (Algorithm L4).
      if (v === 0n) throw new RangeError('modularInverse needs gcd(a, m) = 1');
      const q = u / v;
      const r = u - q * v;
      u = v;
      v = r;
      const t = tu - q * tv;
      tu = tv;
      tv = t;
    } else {
      const [bA, bB, bC, bD] = [BigInt(A), BigInt(B), BigInt(C), BigInt(D)];
      const nu = bA * u + bB * v;
      v = bC * u + bD * v;
      u = nu;
      const ntu = bA * tu + bB * tv;
      tv = bC * tu + bD * tv;
      tu = ntu;
    }
  }
  // Both remainders are exact Numbers now: finish on Numbers, gathering the steps' matrix.
  let uh = Number(u);
  let vh = Number(v);
  let A = 1;
  let B = 0;
  let C = 0;
  let D = 1;
  while (vh !== 0) {
    const q = Math.floor(uh / vh);
    let t = uh - q * vh;
    uh = vh;
    vh = t;
    t = A - q * C;
    A = C;
    C = t;
    t = B - q * D;
    B = D;
    D = t;
  }
  if (uh !== 1) throw new RangeError('modularInverse needs gcd(a, m) = 1');
  // The final u (the gcd, 1) is A·u + B·v of the BigInt stage, so its cofactor is A·tu + B·tv.
  const inverse = (BigInt(A) * tu + BigInt(B) * tv) % m;
  return inverse < 0n ? inverse + m : inverse;
}
