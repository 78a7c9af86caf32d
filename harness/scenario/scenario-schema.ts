import { z } from 'zod';
import { CPL_STATUSES } from '../../simulator/domain/cpl/cpl-entry.js';
import { DEVICE_TYPES } from '../../simulator/domain/device/device-types.js';
import { RESPONSE_CODES, type ResponseCode } from '../../simulator/domain/duis/response-codes.js';
import { isEui } from '../../simulator/domain/eui.js';
import { SMI_STATUSES } from '../../simulator/domain/smi/smi-status.js';
import { ELIGIBILITY_MODES } from '../../simulator/domain/trial/trial.js';

/**
 * The scenario language (scenarios/*.yaml). Every object is strict: a misspelt key is an error
 * that names the key, never a silently ignored step. The JSON Schema editors use is generated
 * from this file (`trialsim schema`).
 */
const eui = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine(isEui, 'must be an EUI-64 like 90-B3-D5-1F-30-01-00-00');
const instant = z.union([z.string().datetime({ offset: true }), z.string().date()]).describe('ISO 8601 date or date-time, UTC');
const srv = z.union([z.string(), z.number()]).transform(String).describe('SRV, e.g. "8.1.1"');
const responseCode = z.enum(RESPONSE_CODES as [ResponseCode, ...ResponseCode[]]);

export const cplEntrySchema = z
  .object({
    deviceType: z.enum(DEVICE_TYPES),
    manufacturer: z.string().min(1),
    model: z.string().min(1),
    hardwareVersion: z.string().min(1),
    firmwareVersion: z.string().min(1).max(8),
    cpaCertificateReference: z.string().min(1),
    status: z.enum(CPL_STATUSES).default('Active'),
    imageHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  })
  .strict();

const cplItem = z.union([z.object({ fixture: z.string() }).strict(), cplEntrySchema]);

const trialSchema = z
  .object({
    trialId: z.string().min(1),
    cpaCertificateReference: z.string().startsWith('TRIAL-', 'a Trial CPA certificate reference starts with TRIAL-'),
    manufacturer: z.string().min(1),
    deviceType: z.enum(DEVICE_TYPES),
    sponsor: z.string().min(1).describe('party name of the sponsoring supplier'),
    start: instant.optional(),
    policy: z
      .object({
        maxDevices: z.number().int().positive().optional(),
        durationMonths: z.number().int().positive().optional(),
        eligibility: z.enum(ELIGIBILITY_MODES).optional(),
        excludeFromOpr: z.boolean().optional(),
      })
      .strict()
      .default({}),
    /** Expect the SSC to refuse it (eligibility scenarios). */
    expectRefusal: z.string().optional(),
  })
  .strict();

const deviceSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and -'),
    model: z.string().describe('a file in fixtures/device-models/ (without .yaml), or a path'),
    eui,
    supplier: z.string().default('supplier-a'),
    networkOperator: z.string().default('network-operator'),
    chf: z.string().optional(),
    preinstalled: z.boolean().default(false),
    firmwareVersion: z.string().min(1).max(8).optional(),
  })
  .strict();

const bodyExpectation = z.record(z.string(), z.unknown());

const outcomeExpectation = z
  .object({
    response: responseCode.optional(),
    deviceAlert: z.string().regex(/^0x8F[0-9A-F]{2}$/).optional(),
    rule: z.string().optional(),
    reasonIncludes: z.string().optional(),
    body: bodyExpectation.optional(),
  })
  .strict();

const sendSchema = z
  .object({
    as: z.string(),
    srv,
    device: z.string().optional().describe('scenario id of the target device (or of the device a non-device SR is about)'),
    body: z.record(z.string(), z.unknown()).optional(),
    commandVariant: z.number().int().min(1).max(8).optional(),
    signing: z.union([z.enum(['valid', 'corrupt']), z.object({ signWith: z.string() }).strict()]).optional(),
    counter: z.union([z.number().int().nonnegative(), z.literal('replay')]).optional(),
    name: z.string().optional().describe('name to refer to this request in a later expect'),
    wait: z.enum(['final', 'first']).default('final'),
  })
  .strict();

const expectSchema = z
  .object({
    smi: z.object({ device: z.string(), status: z.enum(SMI_STATUSES).optional(), firmwareVersion: z.string().optional(), supplier: z.string().optional(), trial: z.union([z.string(), z.null()]).optional() }).strict().optional(),
    device: z.object({ device: z.string(), lifecycle: z.enum(['new', 'commissioned', 'decommissioned']).optional(), firmwareVersion: z.string().optional(), securityLogIncludes: z.string().optional() }).strict().optional(),
    alert: z.object({ to: z.string(), alert: z.string(), device: z.string().optional(), alertCode: z.string().optional() }).strict().optional(),
    outcome: z.object({ request: z.string() }).merge(outcomeExpectation).strict().optional(),
    trial: z.object({ trialId: z.string(), commissioned: z.number().int().optional(), upgraded: z.number().int().optional(), removed: z.number().int().optional(), ended: z.boolean().optional() }).strict().optional(),
  })
  .strict();

export const stepSchema = z
  .object({
    title: z.string().optional(),
    requirement: z.union([z.string(), z.array(z.string())]).optional(),
    send: sendSchema.optional(),
    expect: z.union([outcomeExpectation, expectSchema]).optional(),
    advance: z.string().optional().describe('virtual time to move on, e.g. "6 months"'),
    advanceTo: instant.optional(),
    cpl: z
      .object({
        add: z.array(cplEntrySchema).optional(),
        setStatus: z.object({ cpaCertificateReference: z.string(), status: z.enum(CPL_STATUSES) }).strict().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((step, ctx) => {
    const actions = ['send', 'advance', 'advanceTo', 'cpl'].filter((k) => step[k as keyof typeof step] !== undefined);
    if (actions.length > 1) ctx.addIssue({ code: 'custom', message: `a step does one thing; this one has ${actions.join(' and ')}` });
    if (actions.length === 0 && step.expect === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a step needs send, advance, advanceTo, cpl or expect' });
    }
  });

export const scenarioSchema = z
  .object({
    scenario: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case id like "commissioning"'),
    title: z.string(),
    description: z.string().optional(),
    tags: z.array(z.string()).default([]),
    start: instant.default('2027-01-04T09:00:00Z'),
    seed: z.string().optional(),
    cpl: z.array(cplItem).default([{ fixture: 'cpl/default-cpl.yaml' }]),
    trials: z.array(trialSchema).default([]),
    devices: z.array(deviceSchema).min(1),
    steps: z.array(stepSchema).min(1),
  })
  .strict();

export type ScenarioFile = z.infer<typeof scenarioSchema>;
export type ScenarioStep = z.infer<typeof stepSchema>;
export type SendStep = z.infer<typeof sendSchema>;
export type OutcomeExpectation = z.infer<typeof outcomeExpectation>;
export type StateExpectation = z.infer<typeof expectSchema>;
export type CplEntryInput = z.infer<typeof cplEntrySchema>;

export const deviceModelSchema = z
  .object({
    deviceType: z.enum(DEVICE_TYPES),
    manufacturer: z.string().min(1),
    model: z.string().min(1),
    hardwareVersion: z.string().min(1),
    firmwareVersion: z.string().min(1).max(8),
    description: z.string().optional(),
  })
  .strict();
export type DeviceModel = z.infer<typeof deviceModelSchema>;
