import { addDuration, parseDuration } from '../../../simulator/time/index.js';
import { durationSchema, instantSchema } from '../schema-parts.js';
import { defineAction } from './step-action.js';

/** Moves virtual time on; scheduled events (deadlines, trial ends) fire in order on the way. */
export const advanceAction = defineAction<string>({
  key: 'advance',
  schema: durationSchema.describe('virtual time to move on, e.g. "6 months", "2 days", "90 s"'),
  description: 'advance virtual time by a duration',
  title: (d) => `advance ${d}`,
  async run(duration, { stack }) {
    let target: number;
    try {
      target = addDuration(stack.clock.now(), parseDuration(duration));
    } catch (err) {
      throw new RangeError(`advance: ${(err as Error).message}`);
    }
    await stack.advanceTo(target);
    return undefined;
  },
});

export const advanceToAction = defineAction<string>({
  key: 'advanceTo',
  schema: instantSchema,
  description: 'advance virtual time to an instant',
  title: (t) => `advance to ${t}`,
  async run(instant, { stack }) {
    const target = Date.parse(instant);
    if (target < stack.clock.now()) throw new RangeError(`advanceTo ${instant} is in the virtual past`);
    await stack.advanceTo(target);
    return undefined;
  },
});
