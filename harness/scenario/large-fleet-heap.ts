import { setFlagsFromString } from 'node:v8';

/** Simulated devices (ESMEs, hubs and all) from which a scenario run asks V8 for a small heap and spills its trace to disk. */
export const SMALL_HEAP_FROM_DEVICES = 1_000;

let asked = false;

/**
 * A large fleet's run keeps little alive (its trace spills to disk, a device is some 10 KB), but
 * allocates fast and for minutes, and V8 then lets the heap grow to several times what is live
 * before it collects: the 10,000-device 18-month trial peaked at 1.1 GB of RSS while well under
 * half of it was live. `--optimize-for-size` has V8 collect sooner and grow the heap in smaller
 * steps: the 1,000-device trial (shared connection) peaked at 249 MB instead of 403 MB, for about
 * a fifth more CPU time. What a scenario observes is unchanged (trace.jsonl byte for byte): this is
 * the collector's pace only. Asked once per process and never undone, since V8 reads the flag at
 * every collection; a small scenario never asks, so the suite's own speed is untouched.
 */
export function keepHeapSmallFor(devices: number): void {
  if (asked || devices < SMALL_HEAP_FROM_DEVICES) return;
  asked = true;
  setFlagsFromString('--optimize-for-size');
}
