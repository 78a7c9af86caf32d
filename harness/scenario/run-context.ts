import { TrialsimError } from '../../simulator/errors.js';
import type { RequestHandle } from '../../simulator/parties/index.js';
import type { SimStack } from '../stack/sim-stack.js';
import { ExpectationFailure } from './expectation-failure.js';

/** What the runner keeps while a scenario runs. */
export interface RunContext {
  readonly stack: SimStack;
  readonly named: Map<string, RequestHandle>;
  readonly waitGuardMs: number;
  /** Each fleet's device ids, in order. */
  readonly fleets: ReadonlyMap<string, readonly string[]>;
  /** Tells the reporters how far a long step has got (for the progress bar). */
  progress(text: string): void;
  /**
   * Runs a template step (written without `device`/`as`) for one device as the runner runs any
   * step: parse, act, settle, check. Throws ExpectationFailure when the world differs.
   */
  runStepFor(
    template: Readonly<Record<string, unknown>>,
    with_: { device: string; as: string },
  ): Promise<void>;
}

/** A real-time guard, not a timing assertion: a response that never comes is a harness error. */
export async function guard<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new TrialsimError(
                'WAIT_TIMEOUT',
                `gave up waiting ${ms} ms (real time) for ${what}; if the device is silent, advance virtual time to reach E21`,
              ),
            ),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** How far a send lets virtual time run on its own while it waits for its outcome. */
export const MAX_WAIT_VIRTUAL_MS = 86_400_000;

/**
 * Waits for a response the way a supplier would. While it is outstanding and the bus is quiet,
 * nothing but a scheduled event (the DCC's E21 response deadline, a message a fault delayed) can
 * produce it, so virtual time moves on to the next such event — up to a day. A device that never
 * answers thus ends in E21 (a `failed` verdict naming the code), not in a harness timeout; and a
 * response that nothing can produce any more fails at once instead of after the real-time guard.
 *
 * `autoAdvance: false` is for requests to a real device under test (`--dut`): its work happens
 * outside this process, so a quiet bus proves nothing. It gets the real-time guard first; only a
 * device still silent after that lets virtual time run on to the deadline.
 */
export async function awaitOutcome<T>(
  promise: Promise<T>,
  context: RunContext,
  what: string,
  options: { autoAdvance: boolean } = { autoAdvance: true },
): Promise<T> {
  if (!options.autoAdvance) {
    try {
      return await guard(promise, context.waitGuardMs, what);
    } catch (err) {
      // The real device had its real time; now let the DCC's deadline speak (E21, a failure).
      if (!(err instanceof TrialsimError && err.code === 'WAIT_TIMEOUT')) throw err;
    }
  }
  const { stack } = context;
  let done = false;
  // A rejection (the request could not be sent) ends the wait as well, with its cause.
  const tracked = promise.then(
    (value) => {
      done = true;
      return value;
    },
    (err: unknown) => {
      done = true;
      throw err;
    },
  );
  tracked.catch(() => undefined);
  const limit = stack.clock.now() + MAX_WAIT_VIRTUAL_MS;
  // Ends by returning the outcome or throwing; the settle guard catches a stack that stopped.
  for (;;) {
    await stack.settle();
    // Let promise callbacks queued by the last handled message run before looking.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (done) return tracked;
    const next = stack.clock.nextDue();
    if (next === undefined || next > limit) {
      throw new ExpectationFailure(
        `no ${what}: the bus is quiet and nothing scheduled within a day can produce it (was the request or its response dropped?)`,
        what,
        'nothing',
      );
    }
    await stack.advanceTo(next);
  }
}
