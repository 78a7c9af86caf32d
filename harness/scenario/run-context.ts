import { TrialsimError } from '../../simulator/errors.js';
import type { RequestHandle } from '../../simulator/parties/dcc-user-agent.js';
import type { SimStack } from '../stack/sim-stack.js';

/** What the runner keeps while a scenario runs. */
export interface RunContext {
  readonly stack: SimStack;
  readonly named: Map<string, RequestHandle>;
  readonly waitGuardMs: number;
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
