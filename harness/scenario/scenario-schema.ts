import { z } from 'zod';
import {
  DEFAULT_DEVICE_PROFILE,
  DEVICE_TYPES,
  ELIGIBILITY_MODES,
  overridePolicy,
  PolicyOverrideError,
} from '../../simulator/domain/index.js';
import { REQUIREMENT_CATALOGUE } from '../evidence/requirements/requirement-catalogue.js';
import { STEP_ACTIONS } from './actions/action-registry.js';
import { STATE_CHECKS } from './checks/check-registry.js';
import { didYouMeanHint } from './did-you-mean.js';
import { fleetSchema } from './fleets/fleet-schema.js';
import {
  cplEntrySchema,
  deviceModelIdentityShape,
  euiSchema,
  instantSchema,
  outcomeExpectationSchema,
  unknownSrvProblem,
} from './schema-parts.js';

/**
 * The scenario language (scenarios/*.yaml). Every object is strict: a misspelt key is an error
 * that names the key, never a silently ignored step. Step kinds and expectation kinds come from
 * their registries, so the language grows one file at a time. The JSON Schema editors use is
 * generated from this (`trialsim schema`).
 */
const trialSchema = z
  .object({
    trialId: z.string().min(1),
    cpaCertificateReference: z
      .string()
      // A pattern, not zod's startsWith: that becomes `format: starts_with`, which no JSON Schema
      // validator knows (strict ones refuse the schema).
      .regex(/^TRIAL-/, 'a Trial CPA certificate reference starts with TRIAL-'),
    manufacturer: z.string().min(1),
    deviceType: z.enum(DEVICE_TYPES),
    sponsor: z.string().min(1).describe('party name of the sponsoring supplier'),
    start: instantSchema.optional().describe('default: the scenario start'),
    policy: z
      .object({
        maxDevices: z.number().int().positive().optional(),
        durationMonths: z.number().int().positive().optional(),
        eligibility: z.enum(ELIGIBILITY_MODES).optional(),
        excludeFromOpr: z.boolean().optional(),
      })
      .strict()
      .default({}),
    expectRefusal: z
      .string()
      .optional()
      .describe('the SSC must refuse the trial with this rule (e.g. TRIAL-ELIGIBILITY)'),
    approval: z
      .enum(['atStart', 'step'])
      .default('atStart')
      .describe('step: the SSC approves it only at an `ssc: { approve }` step (eligibility judged then)'),
  })
  .strict();

/** `policy:` overrides of the policy registry (simulator/domain/policy/policy-settings.ts). */
const policySchema = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .superRefine((overrides, ctx) => {
    try {
      overridePolicy(overrides);
    } catch (err) {
      if (!(err instanceof PolicyOverrideError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
    }
  })
  .describe('policy settings this run changes from their defaults, e.g. firmware.screening.11.1: warn');

const deviceSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and -'),
    model: z
      .string()
      .describe(
        'a device model file, relative to this scenario file; or the name of one of trialsim’s own (fixtures/device-models/, without .yaml)',
      ),
    eui: euiSchema,
    supplier: z.string().default('supplier-a'),
    networkOperator: z.string().default('network-operator'),
    chf: z.string().optional().describe('id of the comms hub this device joins'),
    preinstalled: z
      .boolean()
      .default(false)
      .describe('already installed and commissioned when the scenario starts'),
    firmwareVersion: z.string().min(1).max(8).optional().describe('overrides the model file'),
    trial: z
      .string()
      .optional()
      .describe('a preinstalled device running this trial’s firmware (checked against the CPL)'),
  })
  .strict();

const stateExpectationSchema = z
  .object(
    Object.fromEntries(
      STATE_CHECKS.map((c) => [c.key, (c.schema as z.ZodType).optional().describe(c.description)]),
    ),
  )
  .strict();

const CATALOGUE_IDS = REQUIREMENT_CATALOGUE.map((r) => r.id);

/**
 * EV- and DEV- ids are trialsim's own (harness/evidence/requirements): one it does not have is a
 * misspelling, which would otherwise show in the evidence as a requirement nobody meant. Other
 * ids are the user's own and are reported as cited.
 */
export function requirementIdProblem(id: string): string | undefined {
  if (!/^(EV|DEV)-/.test(id) || CATALOGUE_IDS.includes(id)) return undefined;
  return `requirement "${id}" is not in trialsim's requirement catalogue${didYouMeanHint(id, CATALOGUE_IDS)} (ids of your own must not start with EV- or DEV-)`;
}

const OUTCOME_KEYS = Object.keys(outcomeExpectationSchema.shape);
const STATE_KEYS = STATE_CHECKS.map((c) => c.key);
const ACTION_KEYS = STEP_ACTIONS.map((a) => a.key);

export const stepSchema = z
  .object({
    title: z.string().optional(),
    requirement: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe('requirement id(s) this step gives evidence for'),
    ...Object.fromEntries(
      STEP_ACTIONS.map((a) => [a.key, (a.schema as z.ZodType).optional().describe(a.description)]),
    ),
    expect: outcomeExpectationSchema.extend(stateExpectationSchema.shape).strict().optional(),
  })
  .strict()
  .superRefine((step, ctx) => {
    const record = step as Record<string, unknown>;
    const actions = ACTION_KEYS.filter((k) => record[k] !== undefined);
    if (actions.length > 1)
      ctx.addIssue({
        code: 'custom',
        message: `a step does one thing; this one has ${actions.join(' and ')}`,
      });
    const expect = (record.expect ?? {}) as Record<string, unknown>;
    if (actions.length === 0 && record.expect === undefined) {
      ctx.addIssue({ code: 'custom', message: `a step needs one of ${ACTION_KEYS.join(', ')} or expect` });
    }
    const requirements = record.requirement === undefined ? [] : ([record.requirement].flat() as string[]);
    for (const [i, id] of requirements.entries()) {
      const problem = requirementIdProblem(id);
      if (problem !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: Array.isArray(record.requirement) ? ['requirement', i] : ['requirement'],
          message: problem,
        });
    }
    // An SRV outside the catalogue can only be a test of the DCC refusing it (E12, DUIS.md):
    // anything else is a typo that would otherwise show up only when the run fails.
    const srv = (record.send as { srv?: string } | undefined)?.srv;
    const srvProblem = srv === undefined ? undefined : unknownSrvProblem(srv);
    if (srvProblem !== undefined && expect.response !== 'E12')
      ctx.addIssue({
        code: 'custom',
        path: ['send', 'srv'],
        message: `${srvProblem}; to check that the DCC refuses an unknown SRV, expect: { response: E12 }`,
      });
    const allowed = actions.includes('send') ? OUTCOME_KEYS : STATE_KEYS;
    for (const key of Object.keys(expect)) {
      if (!allowed.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['expect', key],
          message: actions.includes('send')
            ? `after a send, expect takes ${OUTCOME_KEYS.join(', ')}; put "${key}" in a step of its own`
            : `"${key}" describes a response; it belongs in the same step as the send`,
        });
      }
    }
  });

export const scenarioSchema = z
  .object({
    scenario: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case id like "commissioning"'),
    title: z.string(),
    description: z.string().optional(),
    tags: z.array(z.string()).default([]),
    start: instantSchema.default('2027-01-04T09:00:00Z'),
    seed: z.string().optional().describe('overrides --seed for this scenario'),
    policy: policySchema.optional(),
    cpl: z
      .array(z.union([z.object({ fixture: z.string() }).strict(), cplEntrySchema]))
      .default([{ fixture: 'cpl/default-cpl.yaml' }]),
    trials: z.array(trialSchema).default([]),
    parties: z
      .record(
        z.string(),
        z
          .object({
            interface: z
              .enum(['mqtt', 'duis'])
              .describe(
                "mqtt: trialsim's envelope over MQTT; duis: signed DUIS XML over HTTP, results on a callback URL",
              ),
          })
          .strict(),
      )
      .default({})
      .describe('how each DCC User reaches the DCC, e.g. { supplier-a: { interface: duis } } (default mqtt)'),
    devices: z
      .array(deviceSchema)
      .default([])
      .describe('devices one by one (at least one here or in fleets)'),
    fleets: z
      .array(fleetSchema)
      .default([])
      .describe('many devices of one model at once; run steps over them with `fleet:` steps'),
    steps: z.array(stepSchema).min(1),
  })
  .strict();

export type ScenarioFile = z.infer<typeof scenarioSchema>;
export type ScenarioStep = z.infer<typeof stepSchema> & Record<string, unknown>;

export const deviceModelSchema = z
  .object({
    ...deviceModelIdentityShape,
    description: z.string().optional().describe('free text for people; trialsim does not read it'),
    firmware: z
      .object({
        imageType: z
          .number()
          .int()
          .min(0)
          .max(65_535)
          .optional()
          .describe(`image type in the header it accepts (default ${DEFAULT_DEVICE_PROFILE.imageType})`),
        activationTime: z
          .string()
          .optional()
          .describe('reboot time of an activation, e.g. "45 s" (default: none, it swaps within the command)'),
        maxImageBytes: z
          .number()
          .int()
          .positive()
          .optional()
          .describe(`largest image it stores, in bytes (default ${DEFAULT_DEVICE_PROFILE.maxImageBytes})`),
      })
      .strict()
      .optional()
      .describe('how the model handles firmware images (FIRMWARE-IMAGE.md)'),
  })
  .strict();
export type DeviceModel = z.infer<typeof deviceModelSchema>;
