/**
 * Timing helpers for the benchmark. Wall time from performance.now(): the benchmark measures
 * the real machine, unlike the simulation, which never reads it.
 */

/**
 * Seconds per call of `fn`: the fastest of three rounds, after a warm-up round (JIT, caches).
 * The fastest, because these feed a limit: the best the machine can do for that unit of work.
 */
export function secondsPerCall(fn: (i: number) => unknown, calls: number): number {
  const round = (): number => {
    const started = performance.now();
    for (let i = 0; i < calls; i++) fn(i);
    return (performance.now() - started) / 1000 / calls;
  };
  round();
  return Math.min(round(), round(), round());
}

/** Seconds taken by `work`. */
export async function secondsFor(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

/**
 * Starts `total` operations, keeping at most `window` in flight: enough concurrency to keep
 * every party busy, bounded so the broker is never flooded (STACK.md, "QoS 0 floods").
 */
export async function runWindowed(
  total: number,
  window: number,
  start: (index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      await start(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, total) }, lane));
}

/** Resident set size now, in MB, after a full GC when the process allows it (--expose-gc). */
export function settledRssMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) {
    gc();
    gc();
  }
  return process.memoryUsage().rss / 1_048_576;
}
