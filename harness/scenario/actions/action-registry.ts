import { injectAction } from '../../dut/inject-action.js';
import { churnAction } from './churn-action.js';
import { cplAction } from './cpl-action.js';
import { faultAction } from './fault-action.js';
import { fleetAction } from './fleet-action.js';
import { powerAction } from './power-action.js';
import { registrationAction } from './registration-action.js';
import { sendAction } from './send-action.js';
import { sscAction } from './ssc-action.js';
import type { StepAction } from './step-action.js';
import { supplierOfLastResortAction } from './supplier-of-last-resort-action.js';
import { advanceAction, advanceToAction } from './time-actions.js';

/** Every kind of step a scenario may use. Add new kinds here (one line each). */
export const STEP_ACTIONS: readonly StepAction<never>[] = [
  sendAction,
  advanceAction,
  advanceToAction,
  cplAction,
  fleetAction,
  faultAction,
  powerAction,
  registrationAction,
  supplierOfLastResortAction,
  churnAction,
  sscAction,
  injectAction,
] as unknown as readonly StepAction<never>[];
