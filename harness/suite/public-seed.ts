/**
 * The seed a run uses when none is given. It is public (it is in this source), and every broker
 * password, key and certificate of a run derives from the seed: with it anyone can log in as any
 * party of the run. Fine on a bench; on a shared broker or for evidence, set a private one.
 */
export const PUBLIC_DEFAULT_SEED = 'trialsim';

/** What a run's output and report say about its seed when it is the public default. */
export function publicSeedNotice(seed: string): string | undefined {
  if (seed !== PUBLIC_DEFAULT_SEED) return undefined;
  return `the public default seed "${PUBLIC_DEFAULT_SEED}": anyone can derive this run's broker passwords and keys; set a private one with --seed <secret>`;
}
