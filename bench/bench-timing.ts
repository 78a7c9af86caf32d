/**
 * Timing helpers for the benchmark. Wall time from performance.now(): the benchmark measures
 * the real machine, unlike the simulation, which never reads it.
 */

/** Seconds per unit of work, by the wall clock and by this process's CPU time. */
export interface Cost {
  readonly wall: number;
  readonly cpu: number;
}

/** CPU seconds this process has used (all threads). */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Cost per call of `fn`: the fastest of three rounds, after a warm-up round (JIT, caches).
 * The fastest, because these feed a limit: the best the machine can do for that unit of work.
 * CPU time beside wall time, because on a shared machine wall time includes waiting for a core.
 */
export function costPerCall(fn: (i: number) => unknown, calls: number): Cost {
  const round = (): Cost => {
    const wall = performance.now();
    const cpu = cpuSeconds();
    for (let i = 0; i < calls; i++) fn(i);
    return { wall: (performance.now() - wall) / 1000 / calls, cpu: (cpuSeconds() - cpu) / calls };
  };
  round();
  return bestOf([round(), round(), round()]);
}

export function bestOf(costs: readonly Cost[]): Cost {
  return {
    wall: Math.min(...costs.map((c) => c.wall)),
    cpu: Math.min(...costs.map((c) => c.cpu)),
  };
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
