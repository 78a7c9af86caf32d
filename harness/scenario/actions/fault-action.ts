import { z } from 'zod';
import { LINK_FAULT_ACTIONS, type LinkFaultAction } from '../../../simulator/adapters/index.js';
import { TrialsimError } from '../../../simulator/errors.js';
import { parseDuration } from '../../../simulator/time/index.js';
import type { SimStack } from '../../stack/sim-stack.js';
import { parseLink } from '../scenario-references.js';
import { defineAction } from './step-action.js';

const linkSchema = z.string().describe('a link "from -> to": dcc, a party name or a device id at each end');
const FAULT_KINDS = [...LINK_FAULT_ACTIONS, 'clear', 'brokerRestart', 'clockSkew'] as const;

const faultSchema = z
  .object({
    drop: linkSchema.optional().describe('drop messages on the link'),
    delay: linkSchema.optional().describe('hold messages on the link for `by` of virtual time'),
    duplicate: linkSchema.optional().describe('deliver messages on the link twice'),
    corrupt: linkSchema.optional().describe('flip bits of one byte of each message on the link'),
    messages: z
      .union([z.number().int().positive(), z.literal('all')])
      .default(1)
      .describe('how many messages to hit (default 1); "all" until cleared'),
    after: z.number().int().nonnegative().default(0).describe('let this many messages pass first'),
    probability: z.number().min(0).max(1).default(1).describe('chance each message is hit (seeded)'),
    by: z.string().optional().describe('for delay: how long; for clockSkew: how far, e.g. "-5 minutes"'),
    clear: z
      .union([z.literal('all'), linkSchema])
      .optional()
      .describe('remove the faults on a link, or all'),
    brokerRestart: z.literal(true).optional().describe('restart the MQTT broker; every party reconnects'),
    clockSkew: z.string().optional().describe('device id whose clock runs off true time by `by`'),
  })
  .strict()
  .superRefine((f, ctx) => {
    const kinds = FAULT_KINDS.filter((k) => f[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          kinds.length === 0
            ? `a fault step needs one of ${FAULT_KINDS.join(', ')}`
            : `one fault per step; this one has ${kinds.join(' and ')}`,
      });
      return;
    }
    const kind = kinds[0];
    if ((kind === 'delay' || kind === 'clockSkew') && f.by === undefined)
      ctx.addIssue({ code: 'custom', path: [kind], message: `${kind} needs \`by\` (e.g. by: 2 minutes)` });
    if (f.by !== undefined) {
      try {
        if (signedDurationMs(f.by) < 0 && kind === 'delay')
          ctx.addIssue({ code: 'custom', path: ['by'], message: 'a delay cannot be negative' });
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['by'], message: (err as Error).message });
      }
    }
    for (const key of ['drop', 'delay', 'duplicate', 'corrupt', 'clear'] as const) {
      const link = f[key];
      if (link !== undefined && link !== 'all' && parseLink(link) === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `link "${link}" should look like "dcc -> esme1"`,
        });
    }
  });
export type FaultSpec = z.infer<typeof faultSchema>;

/** "+5 minutes", "-90 s", "2 hours" → ms (months and years are not skews). */
export function signedDurationMs(text: string): number {
  const trimmed = text.trim();
  const sign = trimmed.startsWith('-') ? -1 : 1;
  const duration = parseDuration(trimmed.replace(/^[-+]\s*/, ''));
  if (duration.unit !== 'ms') throw new RangeError(`"${text}": use seconds to weeks, not months or years`);
  return sign * duration.amount;
}

/** Real-time bounds on waiting for every party to reconnect after a broker restart. */
const RECONNECT_POLL_MS = 10;
const RECONNECT_GUARD_MS = 10_000;

/**
 * Resolves once as many clients are connected as before the restart. The step must not end
 * earlier: a message published while its sender is still reconnecting is rejected by mqtt.js
 * (and uncounted) yet resent on reconnection, so the bus would look quiet while it is not.
 */
async function reconnected(stack: SimStack, expected: number): Promise<void> {
  const deadline = performance.now() + RECONNECT_GUARD_MS;
  while ((stack.brokerClientCount ?? expected) < expected) {
    if (performance.now() > deadline) {
      throw new TrialsimError(
        'BROKER_RESTART_FAILED',
        `after the broker restart only ${stack.brokerClientCount} of ${expected} clients reconnected within ${RECONNECT_GUARD_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, RECONNECT_POLL_MS));
  }
}

function linkAction(f: FaultSpec): { action: LinkFaultAction; link: string } | undefined {
  for (const action of LINK_FAULT_ACTIONS) {
    const link = f[action];
    if (link !== undefined) return { action, link };
  }
  return undefined;
}

/**
 * Injects a fault: per-link message faults (drop, delay, duplicate, corrupt) that the fault layer
 * (simulator/adapters/faults) applies deterministically from the seed, a broker restart, or a
 * device clock skew. Device power loss is the `power` step.
 */
export const faultAction = defineAction<FaultSpec>({
  key: 'fault',
  schema: faultSchema,
  description: 'inject a fault: drop/delay/duplicate/corrupt on a link, clear, brokerRestart, clockSkew',
  title: (f) => {
    const link = linkAction(f);
    if (link !== undefined)
      return `fault: ${link.action} ${f.messages === 'all' ? 'all' : f.messages} on ${link.link}${f.by ? ` by ${f.by}` : ''}`;
    if (f.clear !== undefined) return `fault: clear ${f.clear}`;
    if (f.brokerRestart) return 'fault: broker restart';
    return `fault: clock of ${f.clockSkew} skewed ${f.by}`;
  },
  async run(f, { stack }) {
    const link = linkAction(f);
    if (link !== undefined) {
      const ends = parseLink(link.link) as { from: string; to: string };
      stack.faults.add({
        ...ends,
        action: link.action,
        count: f.messages === 'all' ? Number.POSITIVE_INFINITY : f.messages,
        after: f.after,
        probability: f.probability,
        delayMs: link.action === 'delay' ? signedDurationMs(f.by ?? '0 s') : 0,
      });
    } else if (f.clear !== undefined) {
      stack.faults.clear(f.clear === 'all' ? undefined : parseLink(f.clear));
    } else if (f.brokerRestart) {
      // Restart only on a quiet bus: a message in flight across the restart would be lost
      // uncounted and leave settle() waiting for it.
      await stack.settle();
      const clients = stack.brokerClientCount ?? 0;
      await stack.restartBroker();
      await reconnected(stack, clients);
    } else if (f.clockSkew !== undefined) {
      if (!stack.deviceSpecs.has(f.clockSkew))
        throw new TrialsimError('UNKNOWN_DEVICE', `clockSkew: no device "${f.clockSkew}"`);
      stack.faults.setSkew(f.clockSkew, signedDurationMs(f.by ?? '0 s'));
    }
    return undefined;
  },
});
