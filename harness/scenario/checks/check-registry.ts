import { conductCheck } from '../../dut/conduct-check.js';
import { absenceCheck } from './absence-check.js';
import { registrationCheck } from './registration-check.js';
import { reportCheck } from './report-check.js';
import type { StateCheck } from './state-check.js';
import { alertCheck, deviceCheck, outcomeCheck, smiCheck, trialCheck } from './state-checks.js';

/** Every kind of state expectation a scenario's `expect:` may hold. Add new kinds here. */
export const STATE_CHECKS: readonly StateCheck<never>[] = [
  smiCheck,
  deviceCheck,
  alertCheck,
  outcomeCheck,
  trialCheck,
  reportCheck,
  registrationCheck,
  absenceCheck,
  conductCheck,
] as unknown as readonly StateCheck<never>[];
