import { createHash, createHmac } from 'node:crypto';

/**
 * The one place a run's seed becomes secret or identifying material: SMKI key pairs, certificate
 * serial numbers, broker passwords and the seeded random streams all come from here, each under
 * its own purpose, so two purposes can never produce the same bytes and a reviewer reads one file
 * to know what the seed decides.
 *
 * Keyed material is HMAC-SHA256 with the seed as the key and `trialsim/<purpose>\0<label>` as the
 * message: using the seed as the key and the label as the message keeps (seed, label) pairs from
 * colliding however either is spelled. Purposes are a closed list so a new use is a reviewed change.
 */
export type SeedPurpose = 'pki/key' | 'pki/serial' | 'broker/credentials';

/** 32 bytes for `label` under `seed` and `purpose`. */
export function seedBytes(seed: string, purpose: SeedPurpose, label: string): Buffer {
  return createHmac('sha256', seed).update(`trialsim/${purpose}\u0000${label}`).digest();
}

/**
 * Block `counter` of the random stream `label` under `seed`: SHA-256 in counter mode. Not keyed
 * like the others because the streams predate this module and scenario outcomes (fault draws,
 * churn plans) depend on their exact bytes; they are public test randomness, not secrets.
 */
export function seedStreamBlock(seed: string, label: string, counter: number): Buffer {
  return createHash('sha256').update(`${seed}\u0000${label}\u0000${counter}`).digest();
}
