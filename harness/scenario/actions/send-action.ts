import { z } from 'zod';
import type { FinalOutcome, SigningMode } from '../../../simulator/parties/index.js';
import { planServiceRequest } from '../../live/sr-plan.js';
import { DCC_EUI } from '../../stack/parties.js';
import { resolveCredentialReferences } from '../credential-references.js';
import { resolveFirmwareReferences } from '../firmware-references.js';
import { awaitOutcome } from '../run-context.js';
import { srvSchema } from '../schema-parts.js';
import { defineAction } from './step-action.js';

const sendSchema = z
  .object({
    as: z.string().describe('party name, e.g. supplier-a'),
    srv: srvSchema,
    device: z
      .string()
      .optional()
      .describe('scenario id of the target device (or of the device a non-device SR is about)'),
    body: z.record(z.string(), z.unknown()).optional().describe('merged over the default body for the SRV'),
    commandVariant: z.number().int().min(1).max(8).optional(),
    signing: z.union([z.enum(['valid', 'corrupt']), z.object({ signWith: z.string() }).strict()]).optional(),
    counter: z
      .union([z.number().int().nonnegative(), z.literal('replay')])
      .optional()
      .describe('RequestID counter to use; "replay" reuses the last one'),
    name: z.string().optional().describe('name to refer to this request in a later expect: { outcome: … }'),
    wait: z
      .enum(['final', 'first'])
      .default('final')
      .describe('wait for the outcome (default) or only the first response'),
  })
  .strict();
export type SendSpec = z.infer<typeof sendSchema>;

/** Sends a service request as a party and waits for how it ends. */
export const sendAction = defineAction<SendSpec>({
  key: 'send',
  schema: sendSchema,
  description: 'send a service request as a DCC User',
  title: (s) => `${s.as} sends ${s.srv}${s.device ? ` for ${s.device}` : ''}`,
  async run(send, context): Promise<FinalOutcome> {
    const { stack } = context;
    const agent = stack.user(send.as);
    // Planned as `trialsim sr` and the console plan it (harness/live/sr-plan.ts).
    const plan = planServiceRequest(send, (id) => stack.deviceSpec(id), DCC_EUI, 'SCENARIO_INVALID');
    const spec = plan.device;
    const signing: SigningMode =
      send.signing === undefined || typeof send.signing === 'string'
        ? (send.signing ?? 'valid')
        : { signWith: stack.pki.organisation(send.signing.signWith).ds.keys.privateKey };
    const handle = agent.request({
      srv: send.srv,
      target: plan.target,
      body: resolveCredentialReferences(
        send.srv,
        await resolveFirmwareReferences(send.srv, plan.body, stack),
        stack,
      ),
      signing,
      ...(send.commandVariant === undefined ? {} : { commandVariant: send.commandVariant }),
      ...(send.counter === undefined
        ? {}
        : { counter: send.counter === 'replay' ? agent.lastCounter : send.counter }),
    });
    if (send.name !== undefined) context.named.set(send.name, handle);
    // A real device under test (--dut) works outside this process: only real time can tell.
    const simulated = (id: string | undefined) => id === undefined || stack.devices.has(id);
    const autoAdvance = simulated(send.device) && simulated(spec?.chf);
    if (send.wait === 'first') {
      const first = await awaitOutcome(handle.firstResponse, context, `response to ${handle.requestId}`, {
        autoAdvance,
      });
      return { kind: 'response', response: first };
    }
    return awaitOutcome(handle.final, context, `outcome of ${handle.requestId}`, { autoAdvance });
  },
});
