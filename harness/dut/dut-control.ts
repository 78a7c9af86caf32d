import { z } from 'zod';
import { decodeCbor, describeIssues, encodeCbor, TOPIC_ROOT } from '../../simulator/adapters/index.js';
import { bytesSchema, type Eui } from '../../simulator/domain/index.js';
import { WireError } from '../../simulator/errors.js';

/**
 * The conformance-test control channel (PROTOCOL.md §8): how the harness puts a device under
 * test back into its factory state before each scenario, and how the device says it is ready.
 * Not part of GBCS: a manufacturer implements it in test firmware only.
 *
 *   trialsim/v1/{ns}/dut/control/{devEUI}   harness → device   reset, time
 *   trialsim/v1/{ns}/dut/status/{devEUI}    device → harness   ready, handled
 */
export const CONTROL_VERSION = 1;

export function controlTopic(namespace: string, eui: Eui): string {
  return `${TOPIC_ROOT}/${namespace}/dut/control/${eui}`;
}

export function statusTopic(namespace: string, eui: Eui): string {
  return `${TOPIC_ROOT}/${namespace}/dut/status/${eui}`;
}

const resetSchema = z
  .object({
    v: z.literal(CONTROL_VERSION),
    kind: z.literal('reset'),
    /** Echoed in `ready`, so a late answer to an earlier reset is not taken for this one. */
    nonce: z.number().int().nonnegative(),
    /** Network time, ms since the Unix epoch (the scenario's virtual time). */
    now: z.number().int().nonnegative(),
    /** Start commissioned (a device the scenario says is already installed) or new. */
    commissioned: z.boolean(),
  })
  .strict();

const readySchema = z
  .object({
    v: z.literal(CONTROL_VERSION),
    kind: z.literal('ready'),
    /** The reset's nonce; absent when the device announces itself after power-up. */
    nonce: z.number().int().nonnegative().optional(),
    eui: z.string(),
    firmwareVersion: z.string(),
    /** The device's KA public key, so the harness can tell a device provisioned from another seed. */
    kaPublicKey: bytesSchema('kaPublicKey', { length: 65 }),
    /** The device sends `handled` after each WAN-down message (lets the harness settle exactly). */
    reportsHandled: z.boolean().optional(),
    /** Network time (ms) of the device's earliest pending timer, if any (§8.4). */
    nextDue: z.number().int().nonnegative().optional(),
  })
  .strict();

/** Network time moved on (the scenario advanced virtual time to a device timer): fire what is due. */
const timeSchema = z
  .object({
    v: z.literal(CONTROL_VERSION),
    kind: z.literal('time'),
    now: z.number().int().nonnegative(),
  })
  .strict();

/**
 * Sent after the device has dealt with one WAN-down message: `sent` is how many WAN-up messages
 * it published for it (a response and alerts). Until then the harness counts the command as in
 * flight, so a check never runs between a response and the alerts that follow it.
 */
const handledSchema = z
  .object({
    v: z.literal(CONTROL_VERSION),
    kind: z.literal('handled'),
    sent: z.number().int().nonnegative(),
    /** As in `ready`: the earliest pending timer after this message was dealt with. */
    nextDue: z.number().int().nonnegative().optional(),
  })
  .strict();

export type ResetMessage = z.infer<typeof resetSchema>;
export type ReadyMessage = z.infer<typeof readySchema>;
export type HandledMessage = z.infer<typeof handledSchema>;
export type TimeMessage = z.infer<typeof timeSchema>;
export type ControlMessage = ResetMessage | ReadyMessage | HandledMessage | TimeMessage;

const controlSchema = z.discriminatedUnion('kind', [resetSchema, readySchema, handledSchema, timeSchema]);

export function encodeControl(message: ControlMessage): Uint8Array {
  return encodeCbor(message);
}

/** Decodes and validates; throws WireError saying which field was wrong. */
export function decodeControl(bytes: Uint8Array): ControlMessage {
  const parsed = controlSchema.safeParse(decodeCbor(bytes, 'control message'));
  if (!parsed.success) throw new WireError(`control message: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
