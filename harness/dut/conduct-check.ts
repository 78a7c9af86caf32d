import { z } from 'zod';
import { defineCheck } from '../scenario/checks/state-check.js';
import { ExpectationFailure } from '../scenario/expectation-failure.js';
import { conductViolations, deviceTraffic } from './crafted/device-traffic.js';
import { deviceUnderTest } from './dut-registry.js';

/**
 * `expect: { conduct: { device: esme1 } }`: the device kept the rules of how a device talks over
 * the whole scenario so far (crafted/device-traffic.ts): own counter strictly increasing, no
 * command answered twice, no response to a command it was never sent, and — for a device under
 * test, watched on its own link — message times never running back and nothing sent outside a
 * command or a timer (dut-watch.ts).
 */
export const conductCheck = defineCheck({
  key: 'conduct',
  description: "a device's own messages kept the rules: counters, one answer per command, silence, time",
  schema: z.object({ device: z.string() }).strict(),
  check(want, { stack }) {
    const eui = stack.deviceSpec(want.device).eui;
    const violations = [
      ...conductViolations(deviceTraffic(stack.trace, eui)),
      ...(deviceUnderTest(stack, want.device)?.violations() ?? []),
    ];
    if (violations.length === 0) return;
    const rules = [...new Set(violations.map((v) => v.rule))];
    throw new ExpectationFailure(
      `${want.device} broke ${rules.join(', ')}: ${violations
        .slice(0, 3)
        .map((v) => `#${v.seq} ${v.detail}`)
        .join('; ')}`,
      'no violations',
      violations,
    );
  },
});
