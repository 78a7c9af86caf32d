import type { z } from 'zod';
import type { RunContext } from '../run-context.js';

/**
 * One kind of state expectation inside `expect:` (`smi`, `device`, `alert`, `trial`, …). Each
 * throws an ExpectationFailure with expected and actual when the world differs.
 */
export interface StateCheck<T = unknown> {
  readonly key: string;
  readonly schema: z.ZodType<T>;
  readonly description: string;
  check(spec: T, context: RunContext): Promise<void> | void;
}

export function defineCheck<T>(check: StateCheck<T>): StateCheck<T> {
  return check;
}
