import type { z } from 'zod';
import type { FinalOutcome } from '../../../simulator/parties/index.js';
import type { RunContext } from '../run-context.js';

/**
 * One kind of scenario step (`send`, `advance`, `fault`, …). A step holds exactly one action
 * key; adding a kind of step is a new file here plus a line in the registry.
 */
export interface StepAction<T = unknown> {
  readonly key: string;
  readonly schema: z.ZodType<T>;
  readonly description: string;
  title(spec: T): string;
  /** Returns the outcome of a service request, for actions that send one. */
  run(spec: T, context: RunContext): Promise<FinalOutcome | undefined>;
}

export function defineAction<T>(action: StepAction<T>): StepAction<T> {
  return action;
}
