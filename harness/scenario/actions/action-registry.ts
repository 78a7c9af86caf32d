import { cplAction } from './cpl-action.js';
import { sendAction } from './send-action.js';
import type { StepAction } from './step-action.js';
import { advanceAction, advanceToAction } from './time-actions.js';

/** Every kind of step a scenario may use. Add new kinds here (one line each). */
export const STEP_ACTIONS: readonly StepAction<never>[] = [
  sendAction,
  advanceAction,
  advanceToAction,
  cplAction,
] as unknown as readonly StepAction<never>[];
