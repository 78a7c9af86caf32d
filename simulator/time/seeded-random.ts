import { seedStreamBlock } from '../domain/seed/seed-derivation.js';
import type { Random } from '../ports/random.js';

/**
 * A deterministic random stream: SHA-256 in counter mode over (seed, label). Not fast, but the
 * simulation draws few random numbers and this one is reproducible across machines and Node
 * versions, which a seeded PRNG from a library might not promise.
 */
export class SeededRandom implements Random {
  private counter = 0;
  private pool: Uint8Array = new Uint8Array(0);
  private offset = 0;

  constructor(
    private readonly seed: string,
    private readonly label = 'root',
  ) {}

  private refill(): void {
    this.pool = seedStreamBlock(this.seed, this.label, this.counter++);
    this.offset = 0;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      if (this.offset >= this.pool.length) this.refill();
      out[i] = this.pool[this.offset++] as number;
    }
    return out;
  }

  nextUint32(): number {
    const b = this.bytes(4);
    return (
      ((b[0] as number) * 0x1000000 +
        (((b[1] as number) << 16) | ((b[2] as number) << 8) | (b[3] as number))) >>>
      0
    );
  }

  nextFloat(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  fork(label: string): Random {
    return new SeededRandom(this.seed, `${this.label}/${label}`);
  }
}
