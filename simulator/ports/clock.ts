/**
 * Time as the domain sees it. Every component gets a Clock; none reads the wall clock, so a
 * scenario can run 18 months of trial in seconds and give the same result on every run.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch, in the simulation's time. */
  now(): number;
}

/** A clock that can also run callbacks at virtual instants (the harness's scheduler). */
export interface SchedulingClock extends Clock {
  /** Runs `task` when virtual time reaches `at`. Returns a handle for `cancel`. */
  schedule(at: number, label: string, task: () => void): number;
  cancel(handle: number): void;
}
